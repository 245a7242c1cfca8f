"""The network as Chromium draws it on the starter data: the labels' real boxes never overlap,
and every organisation drawn has a label."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

BOXES = """() => Array.from(document.querySelectorAll('.labels text')).map((t) => {
  const b = t.getBBox();
  return [t.textContent, b.x, b.y, b.x + b.width, b.y + b.height];
})"""


@pytest.mark.parametrize("url", ["/map/network/", "/map/network/?links=terms"])
def test_the_drawn_labels_never_overlap_and_name_every_organisation(page, starter_data, url):
    page.goto(url)
    boxes = page.evaluate(BOXES)
    assert len(boxes) == page.locator(".nodes circle").count() > 30
    clashes = [
        (a[0], b[0])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
    ]
    assert clashes == []
