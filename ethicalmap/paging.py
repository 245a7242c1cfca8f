"""Page numbers over long lists without counting every match.

Django's Paginator counts the whole list to number its pages: at 100,000 organisations a broad
search or filter counts tens of thousands of rows to show twenty-four. `BoundedPaginator`
counts at most COUNT_BOUND of them (one `COUNT(*)` over a `LIMIT`ed subquery), or, on a page
beyond that bound, up to the page asked for and one row more: so counting never costs more than
reaching the page itself does. When there are more, the count is the bound (or the rows up to
that page) and `count_is_exact` is False: the directory says "more than 10,000", the API says
so in `count_is_exact`, and there is always a next page while there are more rows.
"""

import contextlib

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_BOUND = 10_000


class BoundedPaginator(Paginator):
    def __init__(self, *args, bound=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.bound = COUNT_BOUND if bound is None else bound
        # The list holds fewer than match (`known_count`): no page after it.
        self.cut = False
        self.asked = 1  # the page asked for: counting goes as far as it at least

    def page(self, number):
        with contextlib.suppress(TypeError, ValueError):  # validate_number says what is wrong
            self.asked = max(1, int(number))
        counted = self.__dict__.get("_counted")
        inexact = counted is not None and counted[0] >= counted[1]
        if inexact and not self.cut and self.asked * self.per_page >= counted[1]:
            for name in ("_counted", "count", "num_pages"):  # beyond what was counted
                self.__dict__.pop(name, None)
        return super().page(number)

    def known_count(self, count, *, more=False):
        """Use `count`, counted elsewhere (kept after the last write, or a search's best
        matches), instead of counting. `more`: more match than the list's `count`, and the list
        ends there (a search's best matches)."""
        self.cut = more
        self.__dict__["_counted"] = (count + 1, count + 1) if more else (count, count + 1)

    def count_up_to(self, limit):
        """How many rows the list has, counting no further than `limit`."""
        if hasattr(self.object_list, "order_by"):  # a QuerySet: counted in the database
            return self.object_list.order_by()[:limit].count()
        return len(self.object_list[:limit])

    @cached_property
    def _counted(self):
        """(rows found, at most `limit`; limit)."""
        limit = max(self.bound, self.asked * self.per_page) + 1
        return self.count_up_to(limit), limit

    @cached_property
    def count(self):
        found, limit = self._counted
        return min(found, limit - 1)

    @property
    def count_is_exact(self):
        found, limit = self._counted
        return found < limit

    @cached_property
    def num_pages(self):
        # While there are more rows than were counted, there is a page after the last counted.
        more = not (self.count_is_exact or self.cut)
        return super().num_pages + (1 if more else 0)
