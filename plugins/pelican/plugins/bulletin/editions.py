"""Which printed editions a public build makes, as pure functions of the articles and the registry.

One edition per chosen unit (BULLETIN_EDITION_UNITS; by default the registry's roots and their direct children) and
month in which the unit or a unit below it has articles, rolled up as on the unit pages; and the whole site's: its
root's when the registry has one root, else an edition of its own under urls.SITE_EDITION. An issue reads in date
order, oldest first; its lead (the cover story) is its first article with a photo.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .dates import format_month
from .errors import SettingsError
from .indexes import chrono_key
from .registry import Registry, unit_choices
from .urls import SITE_EDITION


@dataclass(frozen=True)
class Edition:
    """One printed issue: a unit's (or the whole site's) articles of one month."""

    code: str
    name: str  # the unit's name on the masthead
    year: int
    month: int
    articles: tuple = field(compare=False)  # oldest first
    depth: int = 0  # the unit's depth in the registry (the site's edition: 0)

    @property
    def number(self) -> str:
        """Return the issue number as printed: 04/2022."""
        return f"{self.month:02d}/{self.year}"

    @property
    def period(self) -> str:
        """Return the month as the site names it: Tháng 4/2022."""
        return format_month(self.year, self.month)

    @property
    def lead(self):
        """Return the cover story: the first article with a photo (None when no article has one)."""
        return next((a for a in self.articles if getattr(a, "image", None)), None)


def chosen_units(registry: Registry, codes) -> list[str]:
    """Return the codes of the units that get editions, in registry order; refuse codes the registry does not have."""
    if codes is None:
        return [u.code for u in registry.walk() if u.depth <= 1]
    codes = [codes] if isinstance(codes, str) else list(codes)
    unknown = [c for c in codes if c not in registry.units]
    if unknown:
        advice = "; ".join(f'"{c}": có phải {unit_choices(registry.suggest(c))}?' if registry.suggest(c) else f'"{c}"'
                           for c in unknown)
        raise SettingsError(f"BULLETIN_EDITION_UNITS có mã đơn vị không có trong danh sách đơn vị: {advice} — "
                            "hãy ghi mã (code) trong units.yml")
    wanted = set(codes)
    return [u.code for u in registry.walk() if u.code in wanted]


def plan(articles, registry: Registry, codes, site_name: str) -> list[Edition]:
    """Return every edition to make: chosen units' months with articles, then the whole site's when it has its own."""
    by_month: dict[tuple[int, int], list] = {}
    for article in sorted(articles, key=chrono_key):
        by_month.setdefault((article.date.year, article.date.month), []).append(article)
    editions = []
    for code in chosen_units(registry, codes):
        unit = registry.get(code)
        below = {u.code for u in registry.descendants(code)}
        for (year, month), found in sorted(by_month.items()):
            mine = tuple(a for a in found if any(u.code in below for u in a.units))
            if mine:
                editions.append(Edition(code, unit.name, year, month, mine, unit.depth))
    if len(registry.roots) > 1:
        if SITE_EDITION in registry.units:
            raise SettingsError(f'mã đơn vị "{SITE_EDITION}" trong units.yml trùng với địa chỉ bản in của toàn trang — '
                                "hãy đổi mã đơn vị đó")
        editions += [Edition(SITE_EDITION, site_name, year, month, tuple(found)) for (year, month), found in sorted(by_month.items())]
    return editions


class Editions:
    """The editions of a build, as the unit, archive and edition pages look them up."""

    def __init__(self, editions: list[Edition]):
        self.all = editions
        self._by_code: dict[str, list[Edition]] = {}
        self._by_month: dict[tuple[int, int], list[Edition]] = {}
        for edition in editions:
            self._by_code.setdefault(edition.code, []).append(edition)
            self._by_month.setdefault((edition.year, edition.month), []).append(edition)

    def __bool__(self) -> bool:
        return bool(self.all)

    def of_unit(self, code: str) -> list[Edition]:
        """Return a unit's editions, newest first."""
        return sorted(self._by_code.get(code, ()), key=lambda e: (e.year, e.month), reverse=True)

    def of_month(self, year: int, month: int) -> list[Edition]:
        """Return a month's editions: the whole site's (or the root's) first, then by depth, in registry order."""
        found = self._by_month.get((year, month), ())
        return sorted(found, key=lambda e: (e.code != SITE_EDITION, e.depth))  # stable: registry order within a depth

