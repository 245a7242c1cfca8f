"""The insights page: the counts of orgs/stats.py drawn as charts, tables, CSVs and gaps in words.

Every chart is drawn on the server as an SVG (no script), readable without colour: each cell or bar
carries its number, empty cells are hatched, and the second series of a chart is hatched too. The
same numbers go in a table beside the chart and in a CSV, all from one `Chart` object, so the three
cannot disagree.
"""

import textwrap
from dataclasses import dataclass, field

from orgs.insights import stats
from orgs.maps.drawing import text_width
from orgs.models import OrgType, Region

FONT = 13
# Shades of a heatmap cell: 0 is empty (hatched), then four steps up to the largest count.
SHADES = 4


@dataclass
class Chart:
    name: str
    title: str
    description: str
    kind: str
    headers: list
    rows: list  # table and CSV rows, in the order of `headers`
    width: int = 0
    height: int = 0
    shapes: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)

    @property
    def csv_name(self):
        return f"{self.name}.csv"


def _phrase(name):
    """A name as it reads inside a sentence: "Data privacy" becomes "data privacy"."""
    if len(name) > 1 and name[1].isupper():
        return name  # an acronym such as "AI"
    return name[:1].lower() + name[1:]


def _join(words, last="or"):
    words = list(words)
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def _shade(count, biggest):
    if not count:
        return 0
    return max(1, min(SHADES, -(-count * SHADES // biggest)))


def _wrap(label, width):
    return textwrap.wrap(label, width) or [""]


def heatmap(name, title, description, row_items, col_items, counts, *, corner):
    """A grid of counts: rows × columns, each cell with its number, empty cells hatched.

    `row_items` and `col_items` are (key, label) pairs, `counts` {(row key, col key): count}.
    """
    label_w = max((text_width(label, FONT) for _, label in row_items), default=0) + 16
    cell_w, cell_h = 78, 30
    head_lines = max((len(_wrap(label, 11)) for _, label in col_items), default=1)
    head_h = head_lines * (FONT + 2) + 12
    biggest = max(counts.values(), default=0) or 1
    columns = [
        {
            "x": round(label_w + i * cell_w + cell_w / 2, 1),
            "lines": [
                {"text": line, "y": 12 + j * (FONT + 2)} for j, line in enumerate(_wrap(label, 11))
            ],
        }
        for i, (_, label) in enumerate(col_items)
    ]
    rows = []
    for r, (row_key, row_label) in enumerate(row_items):
        y = head_h + r * cell_h
        cells = []
        for c, (col_key, _) in enumerate(col_items):
            count = counts.get((row_key, col_key), 0)
            shade = _shade(count, biggest)
            cells.append(
                {
                    "x": label_w + c * cell_w,
                    "cx": round(label_w + c * cell_w + cell_w / 2, 1),
                    "count": count,
                    "shade": shade,
                }
            )
        rows.append({"label": row_label, "y": y, "ty": y + cell_h / 2 + FONT / 3, "cells": cells})
    table = [
        [row_label, *(counts.get((row_key, col_key), 0) for col_key, _ in col_items)]
        for row_key, row_label in row_items
    ]
    return Chart(
        name=name,
        title=title,
        description=description,
        kind="heatmap",
        headers=[corner, *(label for _, label in col_items)],
        rows=table,
        width=round(label_w + len(col_items) * cell_w + 2),
        height=head_h + len(row_items) * cell_h + 2,
        shapes={
            "columns": columns,
            "rows": rows,
            "cell_w": cell_w - 2,
            "cell_h": cell_h - 2,
            "label_x": label_w - 8,
        },
    )


def bars(name, title, description, items, *, header, ranked=False):
    """Horizontal bars with their counts written at their ends; `items` are (label, count)."""
    if ranked:
        items = sorted(items, key=lambda item: -item[1])
    label_w = max((text_width(label, FONT) for label, _ in items), default=0) + 16
    bar_h, gap, plot_w = 22, 8, 360
    biggest = max((count for _, count in items), default=0) or 1
    shapes = []
    for i, (label, count) in enumerate(items):
        y = i * (bar_h + gap) + 4
        w = round(plot_w * count / biggest, 1)
        shapes.append(
            {
                "label": label,
                "count": count,
                "y": y,
                "ty": y + bar_h / 2 + FONT / 3,
                "w": w,
                "vx": round(label_w + w + 6, 1),
            }
        )
    return Chart(
        name=name,
        title=title,
        description=description,
        kind="bars",
        headers=[header, "Organisations"],
        rows=[[label, count] for label, count in items],
        width=round(label_w + plot_w + 60),
        height=len(items) * (bar_h + gap) + 8,
        shapes={"bars": shapes, "bar_h": bar_h, "label_x": label_w - 8, "x0": label_w},
    )


def growth_chart(rows):
    """Pairs of columns per quarter: added (solid) and verified (hatched)."""
    slot, col_w, plot_h, left, top, bottom = 26, 10, 200, 44, 12, 40
    biggest = max((max(r["added"], r["verified"]) for r in rows), default=0) or 1
    quarters = []
    for i, row in enumerate(rows):
        x = left + i * slot + 3
        quarters.append(
            {
                "quarter": row["quarter"],
                "x": x,
                "added": row["added"],
                "verified": row["verified"],
                "added_h": round(plot_h * row["added"] / biggest, 1),
                "verified_h": round(plot_h * row["verified"] / biggest, 1),
                # A year label under each first quarter, and under the first column at all.
                "year": row["quarter"][:4] if row["quarter"].endswith("Q1") or not i else "",
            }
        )
    for q in quarters:
        q["added_y"] = top + plot_h - q["added_h"]
        q["verified_y"] = top + plot_h - q["verified_h"]
    ticks = [
        {"value": value, "y": round(top + plot_h - plot_h * value / biggest, 1)}
        for value in sorted({0, biggest // 2, biggest})
    ]
    return Chart(
        name="growth",
        title="Growth: organisations added and verified per quarter",
        description=_growth_description(rows),
        kind="growth",
        headers=["Quarter", "Added", "Verified"],
        rows=[[r["quarter"], r["added"], r["verified"]] for r in rows],
        width=max(360, left + len(rows) * slot + 10),
        height=top + plot_h + bottom,
        shapes={
            "quarters": quarters,
            "ticks": ticks,
            "col_w": col_w,
            "left": left,
            "base": top + plot_h,
            "label_y": top + plot_h + 18,
            "right": left + len(rows) * slot,
        },
    )


def _growth_description(rows):
    if not rows:
        return "No organisation has been added yet."
    added = sum(r["added"] for r in rows)
    verified = sum(r["verified"] for r in rows)
    busiest = max(rows, key=lambda r: r["added"])
    return (
        f"From {rows[0]['quarter']} to {rows[-1]['quarter']}, {added:,} organisations were added "
        f"(most in {busiest['quarter']}: {busiest['added']:,}) and {verified:,} were last "
        "verified by a moderator. Solid columns are organisations added, hatched columns "
        "organisations verified."
    )


def freshness_chart(fresh):
    """One bar split into verified recently (solid), earlier (hatched) and never (outline)."""
    total = fresh["organisations"]
    parts = [
        ("recent", "Verified in the last 12 months", fresh["verified_recently"]),
        ("earlier", "Verified more than 12 months ago", fresh["verified_earlier"]),
        ("never", "Never verified", fresh["never_verified"]),
    ]
    plot_w, x, segments = 600, 0.0, []
    for key, label, count in parts:
        w = plot_w * count / total if total else 0
        share = round(100 * count / total) if total else 0
        segments.append(
            {"key": key, "label": label, "count": count, "share": share, "x": round(x, 1),
             "w": round(w, 1)}
        )  # fmt: skip
        x += w
    for i, segment in enumerate(segments):
        segment["ky"] = 64 + i * 24
    share = round(100 * fresh["share_verified_recently"])
    return Chart(
        name="freshness",
        title="Freshness: entries verified in the last 12 months",
        description=f"{share}% of {total:,} organisations were verified in the last 12 months "
        f"({fresh['verified_recently_by_organisation']:,} confirmed by the organisation itself, "
        f"{fresh['verified_recently_by_moderator']:,} checked by a moderator); "
        f"{segments[1]['share']}% earlier and {segments[2]['share']}% never.",
        kind="freshness",
        headers=["Entries", "Organisations", "Share (%)"],
        rows=[[s["label"], s["count"], s["share"]] for s in segments],
        width=plot_w + 2,
        height=64 + 3 * 24,
        shapes={"segments": segments, "share": share},
    )


def _place(regions):
    names = [Region(value).label for value in regions if value in Region.values]
    return f" in {_join(names)}" if names else ""


def _subject(types, plural=False):
    names = [_phrase(OrgType(value).label) for value in types if value in OrgType.values]
    if len(names) == 1:
        return names[0] + ("s" if plural and not names[0].endswith("s") else "")
    return "organisations" if plural else "organisation"


def gap_statements(coverage, recorded, *, regions=(), types=(), threshold=stats.GAP_THRESHOLD):
    """The empty and thin cells of the coverage heatmap, in words, area by area, where the data
    could show the opposite (see `stats.gaps_can_be_told`); first how many organisations have no
    activity recorded, last the areas whose gaps by activity cannot be told yet.

    "No organisation in Wales works on misinformation through tools and services or funding."
    """
    place, one, many = _place(regions), _subject(types), _subject(types, plural=True)
    cells = {}
    for row in coverage:
        if row["activity"]:
            cells.setdefault(row["area"], []).append(row)
    statements, untold = [], []
    without = recorded["without_activity"]
    if without:
        subject = one if without == 1 else many
        statements.append(
            f"{without:,} {subject}{place} {'has' if without == 1 else 'have'} no activity "
            "recorded: the gaps by activity leave "
            f"{'it' if without == 1 else 'them'} out."
        )
    for area in recorded["by_area"]:
        name = _phrase(area["area_name"])
        if not area["organisations"]:
            statements.append(f"No {one}{place} works on {name}.")
        elif not stats.gaps_can_be_told(area):
            untold.append(name)
        else:
            statements.extend(_cell_gaps(cells.get(area["area"], []), name, threshold,
                                         one=one, many=many, place=place))  # fmt: skip
    if untold:
        statements.append(
            f"The gaps by activity in {_join(untold, last='and')} cannot be told yet: fewer "
            f"than half of the {many}{place} working on "
            f"{'it' if len(untold) == 1 else 'each'} have their activities recorded."
        )
    return statements


def _cell_gaps(cells, area, threshold, *, one, many, place):
    empty = [_phrase(c["activity_name"]) for c in cells if not c["count"]]
    thin = [c for c in cells if 0 < c["count"] < threshold]
    statements = []
    if empty:
        statements.append(f"No {one}{place} works on {area} through {_join(empty)}.")
    if thin:
        listed = _join((f"{_phrase(c['activity_name'])} ({c['count']})" for c in thin), last="and")
        statements.append(f"Fewer than {threshold} {many}{place} work on {area} through {listed}.")
    return statements


def build_charts(summary, *, regions=(), types=()):
    """Every chart of the insights page, in page order, from `stats.summary()`."""
    return [
        *_coverage_charts(summary, regions=regions, types=types),
        *(
            _ranked_bars(name, title, what, summary[key], ranked)
            for name, title, what, key, ranked in BAR_CHARTS
        ),
        growth_chart(summary["growth"]),
        _maturity_chart(summary["maturity"]),
        freshness_chart(summary["freshness"]),
    ]


# (name, title, what a bar counts, the summary's key, largest first?)
BAR_CHARTS = [
    ("regions", "Organisations by region", "region", "by_region", True),
    ("types", "Organisations by type", "type", "by_type", True),
    ("sizes", "Organisations by size", "size", "by_size", False),
]


def _ranked_bars(name, title, what, counts, ranked):
    rows = [(r["name"], r["count"]) for r in counts]
    return bars(
        name,
        title,
        _bars_description(what, rows),
        rows,
        header=what.capitalize(),
        ranked=ranked,
    )


def _coverage_charts(summary, *, regions, types):
    """Areas of concern by activity (with the gaps it shows) and by type of organisation."""
    coverage = summary["coverage"]
    areas = list(dict.fromkeys((r["area"], r["area_name"]) for r in coverage))
    activities = list(dict.fromkeys((r["activity"] or "", r["activity_name"]) for r in coverage))
    by_activity = heatmap(
        "coverage",
        "Coverage: areas of concern by activity",
        "How many organisations work on each area of concern through each activity; the last "
        "column counts those whose activity is not recorded. Empty cells are hatched.",
        areas,
        activities,
        {(r["area"], r["activity"] or ""): r["count"] for r in coverage},
        corner="Area of concern",
    )
    by_activity.notes = gap_statements(
        coverage, summary["activities_recorded"], regions=regions, types=types
    )
    by_type = summary["coverage_by_type"]
    return [
        by_activity,
        heatmap(
            "coverage-by-type",
            "Coverage: areas of concern by type of organisation",
            "How many organisations of each type work on each area of concern. Empty cells are "
            "hatched.",
            areas,
            list(dict.fromkeys((r["org_type"], r["org_type_name"]) for r in by_type)),
            {(r["area"], r["org_type"]): r["count"] for r in by_type},
            corner="Area of concern",
        ),
    ]


def _maturity_chart(maturity):
    principles = list(dict.fromkeys((r["principle"], r["title"]) for r in maturity))
    return heatmap(
        "maturity",
        "Maturity: approved self-assessments by principle and level",
        _maturity_description(maturity),
        principles,
        [(level, f"Level {level}") for level in range(1, 6)],
        {(r["principle"], r["level"]): r["count"] for r in maturity},
        corner="Principle",
    )


def _bars_description(what, rows):
    counted = [(label, count) for label, count in rows if count]
    if not counted:
        return f"No organisation has a {what} recorded."
    top = max(counted, key=lambda row: row[1])
    missing = [label for label, count in rows if not count]
    text = f"Most organisations with a {what} recorded are {top[0]} ({top[1]:,})."
    if missing:
        text += f" None: {_join(missing, last='and')}."
    return text


def _maturity_description(rows):
    total = sum(r["count"] for r in rows)
    if not total:
        return "No self-assessment has been approved yet."
    by_level = {}
    for row in rows:
        by_level[row["level"]] = by_level.get(row["level"], 0) + row["count"]
    common = max(by_level, key=lambda level: (by_level[level], -level))
    return (
        f"{total:,} approved self-assessments; level {common} is the most common "
        f"({by_level[common]:,}). Each cell counts the organisations at that level."
    )


CHART_NAMES = [
    "coverage", "coverage-by-type", "regions", "types", "sizes", "growth", "maturity", "freshness",
]  # fmt: skip
