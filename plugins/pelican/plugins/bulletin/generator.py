"""The Generator that builds the unit, term and date indexes, their pages and feeds."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, cached_property, partial

from pelican.generators import Generator
from pelican.writers import Writer

from . import editions as issues
from . import indexes, markup, printing
from .errors import ContentError, SettingsError
from .registry import Registry
from .sanitize import locate
from .state import get_state
from .urls import SITE_FILES, URLS, Links, index_files, output_path, save_as

PAGINATED = ("unit", "term", "period")


@dataclass(frozen=True)
class Site:
    """The indexes every template can show (navigation, sidebars, counts)."""

    registry: Registry
    tree: list
    by_unit: dict
    terms: list
    years: list

    def count(self, code: str) -> int:
        """Return how many articles a unit and its descendants have."""
        return len(self.by_unit.get(code, ()))


@cache
def fixed_url_class(cls: type) -> type:
    """Return a subclass of a Pelican content class (same name) that works out its URL fields once per object.

    Pelican rebuilds them (a copy of the metadata, two relpath calls and a format) every time a template asks
    for `.url`; with previous, next and related links that is dozens of times per page. Content is final
    once every file is read, which is when the class is swapped (an edit in the preview makes a new object).
    """
    fields = {name: cached_property(getattr(cls, name).fget) for name in ("url_format", "url", "save_as")}
    return type(cls.__name__, (cls,), {**fields, "__module__": cls.__module__})


# Pelican's taxonomy pages and the settings that turn each off. Even with no page to write, Pelican works out
# every one's article list by date, `[a for a in self.dates if a in articles]`, which grows with the square of
# the number of articles (about 2 s for the authors of 10,000 articles).
TAXONOMY_WRITERS = (("generate_tags", "TAG_SAVE_AS"), ("generate_categories", "CATEGORY_SAVE_AS"),
                    ("generate_authors", "AUTHOR_SAVE_AS"))


def skip_unwritten_taxonomies(generator) -> None:
    """Make the article generator skip the taxonomy pages whose SAVE_AS is empty (nothing would be written)."""
    for method, setting in TAXONOMY_WRITERS:
        if not generator.settings.get(setting):
            setattr(generator, method, _write_nothing)


def _write_nothing(write) -> None:
    """Stand in for a taxonomy writer whose pages are turned off."""


CONTENT_LISTS = ("articles", "drafts", "hidden_articles", "pages", "hidden_pages", "draft_pages")


class BulletinGenerator(Generator):
    """Build the indexes after the articles are read; write their pages and feeds."""

    def generate_context(self) -> None:
        """Group the published articles and attach related, previous and next to each."""
        state = get_state(self.settings)
        for key in CONTENT_LISTS:
            for content in self.context.get(key, []):
                content.__class__ = fixed_url_class(type(content))
        articles = self.context.get("articles", [])
        # Pelican reads files in set order and sorts by date alone, so articles of the same date would come
        # out in a different order on the home page and in atom.xml every build; break ties by slug.
        articles.sort(key=indexes.chrono_key, reverse=True)
        dates = self.context.get("dates")
        if dates:
            dates.sort(key=indexes.chrono_key, reverse=self.settings.get("NEWEST_FIRST_ARCHIVES", True))
        state.published = len(articles)
        limit = self.settings["BULLETIN_RELATED"]
        related = indexes.related(articles, limit)
        neighbours = indexes.neighbours(articles)
        for article in articles:
            article.related = related[id(article)]
            article.older, article.newer = neighbours[id(article)]
            article.scheduled = article.date > state.now
        by_unit = indexes.group_by_unit(articles, state.registry)
        self.site = Site(
            registry=state.registry,
            tree=indexes.unit_tree(state.registry, by_unit),
            by_unit=by_unit,
            terms=indexes.group_by_term(articles),
            years=indexes.group_by_date(articles),
        )
        self.context["bulletin"] = self.site
        self.context["links"] = Links()
        self.editions = issues.Editions(planned_editions(self.settings, articles, state.registry))
        self.context["editions"] = self.editions
        state.errors.extend(find_collisions(self.context, self.settings, self.site, state.documents))
        state.errors.extend(links_to_unpublished(self.context, state))

    def generate_output(self, writer) -> None:
        """Write every index page, paginated, and the unit and term feeds."""
        write = partial(writer.write_file, relative_urls=self.settings["RELATIVE_URLS"])
        site, links = self.site, Links()
        write(save_as(links.units), self.get_template("units"), self.context, url=links.units, page_name="units")
        for unit in site.registry.units.values():
            articles = site.by_unit[unit.code]
            url = links.unit(unit)
            write(
                save_as(url), self.get_template("unit"), self.context, paginated={"articles": articles},
                template_name="unit", url=url, unit=unit, ancestors=site.registry.ancestors(unit.code),
                children=[site.registry.get(c) for c in unit.children], page_name="units",
            )
            self.write_feed(writer, articles, links.unit_feed(unit), unit.name)
        write(save_as(links.terms), self.get_template("terms"), self.context, url=links.terms, page_name="terms")
        for group in site.terms:
            url = links.term(group.term)
            write(
                save_as(url), self.get_template("term"), self.context, paginated={"articles": group.articles},
                template_name="term", url=url, term=group.term, page_name="terms",
            )
            self.write_feed(writer, group.articles, links.term_feed(group.term), f"Nhiệm kỳ {group.term.label}")
        write(save_as(links.archives), self.get_template("archives"), self.context, url=links.archives, page_name="archives")
        adjacent = indexes.adjacent_months(site.years)
        for year in site.years:
            self.write_period(write, links.year(year.year), year.articles, year=year, month=None)
            for month in year.months:
                older, newer = adjacent[(month.year, month.month)]
                self.write_period(write, links.month(year.year, month.month), month.articles, year=year, month=month,
                                  older_month=older, newer_month=newer)
        write(save_as(links.search), self.get_template("search"), self.context, url=links.search, page_name="search")
        self.start_press()
        write(URLS["not_found"], self.get_template("404"), self.context, url=URLS["not_found"], page_name="404")

    def write_period(self, write, url: str, articles: list, **period) -> None:
        """Write one year or month archive, paginated."""
        write(
            save_as(url), self.get_template("period"), self.context, paginated={"articles": articles},
            template_name="period", url=url, page_name="archives", **period,
        )

    def start_press(self) -> None:
        """Have the press (printing.py) started once the pages are written: it lays out the printed editions (cached),
        puts each PDF and page in place while the build goes on; the finisher printing.finish waits for it."""
        if not self.editions:
            return
        if printing.missing_fonts():
            raise SettingsError(f"thiếu phông chữ {', '.join(printing.missing_fonts())} để dựng bản in — hãy chạy 'make setup'")
        printing.plan_press(self.editions.all, self.settings, get_state(self.settings).workers, self.write_edition_pages)

    def write_edition_pages(self, folder: str, laid: dict) -> None:
        """Write the page of each edition of `laid` (edition -> printing.Laid) into a folder (by the press)."""
        write = partial(Writer(folder, settings=self.settings).write_file, relative_urls=self.settings["RELATIVE_URLS"])
        links = Links()
        for edition, done in laid.items():
            url = links.edition(edition)
            write(save_as(url), self.get_template("edition"), self.context, url=url, edition=edition, laid=done,
                  contents=list(zip(edition.articles, done.starts, strict=True)),
                  edition_unit=self.site.registry.units.get(edition.code), page_name="units")

    def write_feed(self, writer, articles: list, url: str, title: str) -> None:
        """Write an Atom feed of the newest articles of a unit or term."""
        items = articles[: self.settings["BULLETIN_FEED_ITEMS"]]
        writer.write_feed(items, self.context, path=url, url=url, feed_type="atom", feed_title=title)


# The settings key of `invoke edition`'s build: (unit code, year, month) of the one edition it lays out.
EDITION_PREVIEW = "_BULLETIN_EDITION"


def planned_editions(settings: dict, articles: list, registry: Registry) -> list:
    """Return the editions this build makes: all of them in the public build, the one asked for by `invoke edition`,
    else none (a local build and the live preview make no PDF)."""
    if settings.get(EDITION_PREVIEW):
        code, year, month = settings[EDITION_PREVIEW]
        return [e for e in issues.plan(articles, registry, [code] if code in registry.units else None, settings["SITENAME"])
                if (e.code, e.year, e.month) == (code, year, month)]
    if not settings.get("BULLETIN_PUBLISH"):
        return []
    return issues.plan(articles, registry, settings["BULLETIN_EDITION_UNITS"], settings["SITENAME"])


def settle_feed(context: dict, feed) -> None:
    """Give each feed its own id (its URL), its page as alternate link and, when it has no entry, a fixed <updated>."""
    feed.feed["id"] = feed.feed["feed_url"]
    feed.feed["link"] = feed.feed["feed_url"].rsplit("/", 1)[0] + "/"  # don-vi/x/atom.xml -> don-vi/x/
    if not feed.items:
        newest = max((a.date for a in context.get("articles") or ()), default=datetime(1970, 1, 1, tzinfo=UTC))
        feed.latest_post_date = lambda: newest


def links_to_unpublished(context: dict, state) -> list[ContentError]:
    """Report each link of a published article or page to a draft or scheduled article: it would lead nowhere."""
    hidden = {os.path.realpath(c.source_path) for key in ("drafts", "hidden_articles", "draft_pages", "hidden_pages")
              for c in context.get(key, [])}
    errors = []
    for item in [*context.get("articles", []), *context.get("pages", [])]:
        doc = state.documents.get(getattr(item, "source_path_shown", ""))
        if doc is not None:
            errors += unpublished_link_errors(doc, item._content, item.source_path, state.context.content_dir, hidden)
    return errors


def unpublished_link_errors(doc, fragment: str, source_path: str, content_dir: str, hidden: set[str]) -> list[ContentError]:
    """Report the links of one converted body that point at a file in `hidden` (real paths of unpublished articles)."""
    return [
        ContentError(doc.path, doc.body_line + locate(doc.body, shown) - 1,
                     f'liên kết tới "{shown}", một bài chưa đăng (bản nháp hoặc hẹn giờ), sẽ dẫn tới trang không có — '
                     "hãy bỏ liên kết hoặc đăng bài đó trước")
        for shown, full in markup.reference_targets(fragment, source_path, content_dir) if full in hidden
    ]


def find_collisions(context: dict, settings: dict, site: Site, documents: dict) -> list[ContentError]:
    """Report every output path two sources would write (two articles, or a page and an index)."""
    entries = []
    for kind, keys in (("article", ("articles", "drafts", "hidden_articles")), ("page", ("pages", "hidden_pages", "draft_pages"))):
        entries += [(output_path(kind, settings, **c.url_format), c.source_path_shown, slug_line(documents.get(c.source_path_shown)))
                    for key in keys for c in context.get(key, [])]
    periods = {year.year: [month.month for month in year.months] for year in site.years}
    return collisions(entries, index_files(site.registry.units, [group.term for group in site.terms], periods))


def slug_line(doc) -> int:
    """Return the line of a document's "slug" key (where its address is set), else 1 (the file name sets it)."""
    return doc.lines.get("slug", 1) if doc is not None else 1


def collisions(entries: list[tuple[str, str, int]], reserved: list[str]) -> list[ContentError]:
    """Given (output path, source file, line) entries, report each source whose output another already takes."""
    owners = {**dict.fromkeys(reserved, "một trang mục lục của trang tin"), **SITE_FILES}
    errors = []
    for target, shown, line in sorted(entries, key=lambda e: e[1]):
        if target in owners:
            url = "/" + target.removesuffix("index.html")
            errors.append(ContentError(shown, line, f'địa chỉ {url} trùng với {owners[target]} — hãy đổi "slug" (hoặc tên tệp) để mỗi bài có một địa chỉ riêng'))
        else:
            owners[target] = shown
    return errors
