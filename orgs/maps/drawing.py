"""Small helpers shared by the server-drawn maps."""

CHAR_WIDTH = 0.6  # average width of a character, in font sizes (system sans-serif)


def text_width(text, font_size):
    return len(text) * font_size * CHAR_WIDTH


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
