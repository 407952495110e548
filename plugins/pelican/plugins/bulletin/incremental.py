"""The live preview's fast path: keep the built site in memory and re-render only the pages an edit touches.

After a full build the preview keeps Pelican's generators and every page job the writer ran. When the only
change is a saved article whose place on the site stays the same (same date, slug, units, terms, status),
the article is read again, its new text is put into the object every index already points to, and only the
pages that show it are rendered again: its own page, the pages of the articles that link to it (previous,
next, related), the one page of each list it appears on, and the feeds that hold it. Anything else (a new or
deleted file, a moved article, units.yml, the theme, the settings, an error in the previous build) gets a
full build, exactly as before.
"""

from __future__ import annotations

import logging
import os
import time
from datetime import datetime

from pelican import signals
from pelican.contents import Article
from pelican.paginator import Paginator
from pelican.writers import Writer

from . import build as builder
from . import images
from .prefetch import finish_reading
from .state import LIVE_KEY, get_state
from .writer import WriteJob

# What decides where an article appears; when any of these changes, the whole site is built again.
PLACE = ("date", "slug", "units", "terms", "status", "save_as", "url", "lang", "template")
KEPT = ("related", "older", "newer", "scheduled")  # set by the index generator; still right for the same place


def keep_model(generators) -> None:
    """Remember a live preview build's generators (called once every file is read)."""
    holder = get_state(generators[0].settings).live
    if holder is not None:
        holder["generators"] = generators


class _Select:
    """A template that renders only the wanted output files (the others are never opened, see _SelectiveWriter)."""

    def __init__(self, template, wanted: set[str]):
        self.template, self.wanted = template, wanted

    def render(self, context) -> str:
        return self.template.render(context) if context["output_file"] in self.wanted else ""


class _SelectiveWriter(Writer):
    """Pelican's writer, writing only the wanted files (relative to the output folder)."""

    def __init__(self, output_path, settings, wanted: set[str]):
        super().__init__(output_path, settings=settings)
        self.wanted = wanted

    def _open_w(self, filename, encoding, override=False):
        if os.path.relpath(filename, self.output_path).replace(os.sep, "/") not in self.wanted:
            return open(os.devnull, "w", encoding=encoding)
        return super()._open_w(filename, encoding, override)


class LiveSite:
    """A preview site kept in memory between saves."""

    def __init__(self, conf: str, content: str, output: str, overrides: dict, finishers: tuple = ()):
        self.conf, self.content, self.output = conf, content, os.path.abspath(output)
        self.overrides, self.finishers = overrides, finishers
        self.holder: dict | None = None

    # ---------------------------------------------------------------- full builds

    def build_all(self) -> builder.Outcome:
        """Build the whole site; keep it in memory when it succeeded."""
        holder: dict = {}
        outcome = builder.build(self.conf, self.content, self.output, {**self.overrides, LIVE_KEY: holder},
                                finishers=self.finishers)
        self.holder = holder if outcome.ok and "generators" in holder and "jobs" in holder else None
        return outcome

    @staticmethod
    def relevant(changes) -> set[str]:
        """Return the changed paths of a batch of (change, path), without the temporary files that came and went
        in it (an editor's safe save writes a copy and renames it over the file; sed -i does the same)."""
        from watchfiles import Change

        added = {path for change, path in changes if change == Change.added}
        deleted = {path for change, path in changes if change == Change.deleted}
        passing = {path for path in added & deleted if not os.path.exists(path)}
        return {path for _change, path in changes} - passing

    def update(self, changed: set[str]) -> tuple[builder.Outcome, bool]:
        """Bring the preview up to date after these files changed; tell whether the fast path was used."""
        if self.holder is not None:  # a photo copied in: its variants are made now, before an article shows it
            images.cache_ahead(changed, self.articles_generator().settings)
        article = self.fast_path_for(changed)
        if article is None:
            return self.build_all(), False
        outcome = self.rerender(article, os.path.abspath(next(iter(changed))))
        if outcome is None:
            return self.build_all(), False
        return outcome, True

    def fast_path_for(self, changed: set[str]):
        """Return the article object an edit can update in place, or None when a full build is needed."""
        if self.holder is None or len(changed) != 1:
            return None
        path = os.path.abspath(next(iter(changed)))
        if not path.endswith((".md", ".markdown")) or not os.path.isfile(path):
            return None
        generator = self.articles_generator()
        for article in generator.articles:
            if os.path.abspath(article.source_path) == path:
                return article
        return None

    def articles_generator(self):
        """Return Pelican's article generator of the kept build."""
        from pelican.generators import ArticlesGenerator

        return next(g for g in self.holder["generators"] if isinstance(g, ArticlesGenerator))

    # ---------------------------------------------------------------- the fast path

    def rerender(self, old: Article, path: str) -> builder.Outcome | None:
        """Read the article again and re-render what shows it; None when its place on the site moved."""
        started = time.perf_counter()
        generator = self.articles_generator()
        settings = generator.settings
        state = get_state(settings)
        now = state.now if settings.get("BULLETIN_NOW") else datetime.now(state.now.tzinfo)
        if any(state.now < a.date <= now for a in generator.articles):
            return None  # a scheduled article is due: its marks change on many pages
        state.errors, state.warnings = [], []
        outcome = builder.Outcome(output=self.output)
        collector = builder._Collector()
        root = logging.getLogger()
        root.addHandler(collector)
        try:
            new = generator.readers.read_file(
                base_path=generator.path, path=os.path.relpath(path, generator.path), content_class=Article,
                context=generator.context, preread_signal=signals.article_generator_preread,
                preread_sender=generator, context_signal=signals.article_generator_context,
                context_sender=generator,
            )
            finish_reading(settings)  # closes the cache connection: the next full build forks
            state.errors.extend(images.publish(settings, self.output))  # a photo new to the site: its variants
            if state.errors:
                outcome.errors = builder.format_errors(state.errors)
                return outcome
            if any(getattr(new, key, None) != getattr(old, key, None) for key in PLACE):
                return None
            kept = {key: old.__dict__[key] for key in KEPT if key in old.__dict__}
            old.__dict__.clear()
            old.__dict__.update(new.__dict__)
            old.__dict__.update(kept)
            forget_memos(old)
            old.refresh_metadata_intersite_links()
            wanted, jobs = self.touched_pages(old)
            writer = _SelectiveWriter(self.output, settings, wanted)
            for job in jobs:
                (job if job.is_feed else job.with_template(_Select(job.args[0], wanted))).run(writer)
        finally:
            root.removeHandler(collector)
        outcome.errors.extend(f"Pelican: {m}" for m in collector.errors)
        outcome.notices.extend(builder.format_errors(list(set(state.warnings))))
        outcome.articles = state.published
        outcome.pages = len(wanted)
        outcome.seconds = time.perf_counter() - started
        return outcome

    def finish(self, cancel=None) -> list[str]:
        """Run the finishers (the search index) on the preview folder after a fast update; `cancel` stops it."""
        settings = self.articles_generator().settings
        errors: list[str] = []
        for finish in self.finishers:
            errors.extend(finish(self.output, settings, cancel))
        return errors

    def touched_pages(self, article) -> tuple[set[str], list[WriteJob]]:
        """Return the output files that show this article and the recorded jobs that write them."""
        settings = self.articles_generator().settings
        wanted: set[str] = set()
        jobs = []
        for job in self.holder["jobs"]:
            files = self.files_showing(article, job, settings)
            if files:
                wanted |= files
                jobs.append(job)
        return wanted, jobs

    @staticmethod
    def files_showing(article, job: WriteJob, settings) -> set[str]:
        """Return the files of one job that show the article (none when the job does not show it)."""
        name, kwargs = job.name, job.kwargs
        if job.is_feed:
            return {name} if any(e is article for e in job.args[0]) else set()
        shown = kwargs.get("article")
        if shown is article or (shown is not None and (
                getattr(shown, "older", None) is article or getattr(shown, "newer", None) is article
                or any(o is article for o in getattr(shown, "related", ()) or ()))):
            return {name}
        template_name = kwargs.get("template_name")
        paginated = kwargs.get("paginated")
        if paginated is None:
            paginated = {k: v for k, v in kwargs.items() if k in {"articles", "dates"}}
        if paginated and template_name in settings["PAGINATED_TEMPLATES"]:
            per_page = settings["PAGINATED_TEMPLATES"][template_name] or settings["DEFAULT_PAGINATION"]
            files = set()
            for items in paginated.values():
                for index, item in enumerate(items):
                    if item is article:
                        paginator = Paginator(name, kwargs.get("url"), items, settings, per_page)
                        files.add(paginator.page(index // per_page + 1).save_as if per_page else name)
            return files
        for value in list(kwargs.values()) + list(paginated.values()):
            if isinstance(value, (list, tuple)) and any(v is article for v in value):
                return {name}
        return set()


def forget_memos(content) -> None:
    """Drop Pelican's memoised HTML of a content object, so its new text is rendered."""
    for attribute in ("get_content", "get_summary"):
        memo = getattr(getattr(type(content), attribute, None), "cache", None)
        if isinstance(memo, dict):
            for key in [k for k in memo if k and k[0] is content]:
                del memo[key]
