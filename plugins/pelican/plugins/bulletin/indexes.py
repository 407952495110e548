"""Pure functions that group articles by unit, term and date; articles need .date, .slug, .units, .terms."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field

from .registry import Registry, Unit
from .terms import Term


def chrono_key(article) -> tuple:
    """Order articles by date, then slug, so equal dates still sort the same way every build."""
    return (article.date, article.slug)


def newest_first(articles) -> list:
    """Return articles newest first, ties broken by slug."""
    return sorted(articles, key=chrono_key, reverse=True)


@dataclass(frozen=True)
class UnitNode:
    """A unit in the tree with the number of articles of it and its descendants."""

    unit: Unit
    count: int
    children: tuple[UnitNode, ...] = ()


@dataclass(frozen=True)
class TermGroup:
    """A term with its articles, newest first."""

    term: Term
    articles: list = field(compare=False)


@dataclass(frozen=True)
class MonthGroup:
    """A month of a year with its articles, newest first."""

    year: int
    month: int
    articles: list = field(compare=False)

    @property
    def code(self) -> str:
        """The month as it appears in URLs: 04."""
        return f"{self.month:02d}"


@dataclass(frozen=True)
class YearGroup:
    """A year with its articles and months, newest first."""

    year: int
    articles: list = field(compare=False)
    months: tuple[MonthGroup, ...] = ()


def group_by_unit(articles, registry: Registry) -> dict[str, list]:
    """Map every unit code to its articles and those of its descendants, newest first, each once."""
    groups: dict[str, dict[int, object]] = {code: {} for code in registry.units}
    for article in articles:
        for unit in article.units:
            for code in [unit.code] + [a.code for a in registry.ancestors(unit.code)]:
                groups[code][id(article)] = article
    return {code: newest_first(found.values()) for code, found in groups.items()}


def unit_tree(registry: Registry, by_unit: dict[str, list]) -> list[UnitNode]:
    """Return the registry as a tree of UnitNodes with rolled-up article counts."""

    def node(code: str) -> UnitNode:
        unit = registry.get(code)
        return UnitNode(unit, len(by_unit.get(code, ())), tuple(node(c) for c in unit.children))

    return [node(code) for code in registry.roots]


def group_by_term(articles) -> list[TermGroup]:
    """Return the terms with their articles, newest term first."""
    groups: dict[Term, list] = defaultdict(list)
    for article in articles:
        for term in article.terms:
            groups[term].append(article)
    return [TermGroup(term, newest_first(found)) for term, found in sorted(groups.items(), reverse=True)]


def group_by_date(articles) -> list[YearGroup]:
    """Return years and their months with articles, newest first."""
    years: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for article in articles:
        years[article.date.year][article.date.month].append(article)
    result = []
    for year in sorted(years, reverse=True):
        months = tuple(MonthGroup(year, m, newest_first(years[year][m])) for m in sorted(years[year], reverse=True))
        result.append(YearGroup(year, [a for m in months for a in m.articles], months))
    return result


def adjacent_months(years: list[YearGroup]) -> dict[tuple[int, int], tuple[MonthGroup | None, MonthGroup | None]]:
    """Map each (year, month) that has articles to the nearest (older, newer) months that have articles too."""
    ordered = [month for year in reversed(years) for month in reversed(year.months)]  # oldest first
    return {(month.year, month.month): (ordered[i - 1] if i > 0 else None, ordered[i + 1] if i + 1 < len(ordered) else None)
            for i, month in enumerate(ordered)}


def neighbours(articles) -> dict[int, tuple[object | None, object | None]]:
    """Map each article (by id) to its (older, newer) neighbours in date order."""
    ordered = sorted(articles, key=chrono_key)
    links = {}
    for i, article in enumerate(ordered):
        older = ordered[i - 1] if i > 0 else None
        newer = ordered[i + 1] if i + 1 < len(ordered) else None
        links[id(article)] = (older, newer)
    return links


def related(articles, limit: int = 5) -> dict[int, list]:
    """Map each article (by id) to up to `limit` others sharing a unit or term.

    Ranked by how many units and terms they share, then by closeness in date, then slug.
    Only the `limit` nearest articles on each side of each shared group are candidates,
    so the work grows linearly with the number of articles.
    """
    keys = {id(a): _shared_keys(a) for a in articles}  # worked out once: the ranking below asks often
    stamps = {id(a): a.date.timestamp() for a in articles}
    groups: dict[object, list] = defaultdict(list)
    for article in articles:
        for key in keys[id(article)]:
            groups[key].append(article)
    keys_of = {}
    for key in groups:
        groups[key].sort(key=chrono_key)
        keys_of[key] = [chrono_key(a) for a in groups[key]]
    result = {}
    for article in articles:
        mine = keys[id(article)]
        candidates: dict[int, object] = {}
        for key in mine:
            members, ordered_keys = groups[key], keys_of[key]
            at = bisect_left(ordered_keys, chrono_key(article))
            for other in members[max(0, at - limit) : at + limit + 1]:
                if other is not article:
                    candidates[id(other)] = other
        stamp = stamps[id(article)]
        ranked = sorted(
            candidates.values(),
            key=lambda o: (-len(mine & keys[id(o)]), abs(stamps[id(o)] - stamp), o.slug, o.date),
        )
        result[id(article)] = ranked[:limit]
    return result


def _shared_keys(article) -> set:
    """Return the units and terms an article belongs to directly."""
    return {("unit", u.code) for u in article.units} | {("term", t) for t in article.terms}
