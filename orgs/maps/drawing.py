"""Small helpers shared by the server-drawn maps: how wide a text is, and where labels fit."""

import unicodedata

# Advance widths, in font sizes, of DejaVu Sans: the widest of the usual system sans-serifs (what
# Linux draws for system-ui), so a label that fits here fits with Segoe UI, San Francisco or
# Roboto too. Characters not listed count as a wide capital.
_WIDTHS = {
    **dict.fromkeys("ijl'|!", 0.28),
    **dict.fromkeys(".,:; ", 0.32),
    **dict.fromkeys("IJ", 0.3),
    **dict.fromkeys("ftr()[]-/\u2019", 0.42),
    **dict.fromkeys("csz", 0.56),
    **dict.fromkeys("kvxy?", 0.6),
    **dict.fromkeys("abdeghnopqu0123456789", 0.64),
    **dict.fromkeys("FLPTY", 0.62),
    **dict.fromkeys("ES", 0.64),
    **dict.fromkeys("ABCKRVXZ", 0.7),
    **dict.fromkeys("DGHNOQU&", 0.79),
    **dict.fromkeys("wM", 0.87),
    **dict.fromkeys("mW", 1.0),
}
_WIDE = 0.79
# Of a line of text, how far the glyphs reach above and below the baseline, in font sizes.
ASCENT, DESCENT = 0.95, 0.25


def _width(char):
    if char in _WIDTHS:
        return _WIDTHS[char]
    base = unicodedata.normalize("NFKD", char)[:1]  # é is as wide as e
    return _WIDTHS.get(base, _WIDE)


def text_width(text, font_size):
    return sum(_width(char) for char in text) * font_size


def text_box(x, baseline, anchor, text, font_size):
    """The box (x1, y1, x2, y2) a line of text drawn at (x, baseline) with `anchor` covers."""
    w = text_width(text, font_size)
    x1 = {"start": x, "middle": x - w / 2, "end": x - w}[anchor]
    return (x1, baseline - ASCENT * font_size, x1 + w, baseline + DESCENT * font_size)


def overlaps(a, b, pad=2):
    ax1, ay1, ax2, ay2 = a
    bx1, by1, bx2, by2 = b
    return ax1 < bx2 + pad and bx1 < ax2 + pad and ay1 < by2 + pad and by1 < ay2 + pad


def pick_labels(candidates, *, limit, width, obstacles=(), placed=None):
    """The candidates whose label boxes fit without overlapping, in the order given.

    Each candidate is (item, [box, ...]) with boxes (x1, y1, x2, y2) to try in turn (say right of
    a circle, then left of it); returns [(item, chosen box index)] for at most `limit` of them.
    `obstacles` are boxes no label may cover (other than by a hair); `placed`, boxes of labels
    already drawn, grows with the new ones.
    """
    placed = [] if placed is None else placed
    chosen = []
    obstacles = list(obstacles)
    for item, boxes in candidates:
        if len(chosen) >= limit:
            break
        for index, box in enumerate(boxes):
            if box[0] < 0 or box[2] > width:
                continue
            if any(overlaps(box, other) for other in placed):
                continue
            if not any(overlaps(box, other, pad=-1) for other in obstacles):
                placed.append(box)
                chosen.append((item, index))
                break
    return chosen


def around_circle(x, y, r, font_size):
    """Where a label may go beside a circle, in the order to try: above, below, right, left,
    then at the four corners; each (x, baseline, text anchor)."""
    gap, corner = r + 3, r * 0.7 + 2
    above, below = y - gap - DESCENT * font_size, y + gap + ASCENT * font_size
    middle = y + (ASCENT - DESCENT) * font_size / 2
    high, low = y - corner - DESCENT * font_size, y + corner + ASCENT * font_size
    return [
        (x, above, "middle"),
        (x, below, "middle"),
        (x + gap, middle, "start"),
        (x - gap, middle, "end"),
        (x + corner, high, "start"),
        (x - corner, high, "end"),
        (x + corner, low, "start"),
        (x - corner, low, "end"),
    ]


def fit_labels(items, *, width, obstacles=(), placed=None):
    """Place what fits of `items`, (key, text, font size, [(x, baseline, anchor), ...]), in order:
    {key: (x, baseline, anchor, box)} (see `pick_labels`)."""
    options = {key: choices for key, _, _, choices in items}
    boxes = {
        key: [text_box(*choice, text, size) for choice in choices]
        for key, text, size, choices in items
    }
    fitted = pick_labels(
        [(key, boxes[key]) for key, *_ in items],
        limit=len(items),
        width=width,
        obstacles=obstacles,
        placed=placed,
    )
    return {key: (*options[key][side], boxes[key][side]) for key, side in fitted}
