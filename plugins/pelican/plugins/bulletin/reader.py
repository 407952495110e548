"""The Markdown + YAML front matter reader: checks each file and hands Pelican typed metadata."""

from __future__ import annotations

import os
from datetime import datetime
from typing import NamedTuple

from pelican.readers import BaseReader
from pelican.urlwrappers import Author, Category

from . import images, markup, sanitize, schema
from .errors import ContentError, display_path
from .sources import kind_of
from .state import get_state
from .urls import is_published


class Read(NamedTuple):
    """A content file read: its checked Document, its body as sanitized HTML and what the sanitizer removed."""

    doc: schema.Document
    html: str
    removed: list[sanitize.Removal]


def check_and_render(full_path: str, kind: str, context: schema.Context, convert, md) -> Read:
    """Check one content file and convert its body with `convert(md, body)` (markup.render, or the cache's)."""
    doc = schema.check_file(full_path, display_path(full_path), kind, context)
    return Read(doc, *convert(md, doc.body))


class BulletinReader(BaseReader):
    """Read `---` YAML front matter and a Markdown body; record every problem in the build state."""

    enabled = True
    file_extensions = ["md", "markdown"]

    def __init__(self, settings):
        super().__init__(settings)
        self._markdown = markup.make_markdown()

    def read(self, source_path: str):
        """Return (html, metadata) for one file: from the reading pool when it read it, else read here."""
        state = get_state(self.settings)
        found = state.prefetch.take(os.path.abspath(source_path)) if state.prefetch is not None else None
        if found is None:
            convert = state.cache.convert if state.cache is not None else markup.render
            found = check_and_render(source_path, kind_of(self.settings, source_path), state.context, convert, self._markdown)
        doc, html, removed = found
        state.record(doc)
        report_removals(removed, doc, state)
        broken = markup.reference_errors(html, doc, source_path, state.context.content_dir)
        doc.errors.extend(broken)
        state.errors.extend(broken)
        metadata = pelican_metadata(doc, html, state)
        html, unusable = images.attach(doc, html, metadata, source_path, self.settings)
        doc.errors.extend(unusable)
        state.errors.extend(unusable)
        if doc.kind == "article":
            # Pelican's draft writer reads .category even when categories are off.
            metadata["category"] = Category(self.settings["DEFAULT_CATEGORY"], self.settings)
            # Feeds name each entry's author: the byline, else the site (an empty <name/> otherwise).
            metadata["author"] = Author(doc.meta.get("author") or self.settings["SITENAME"], self.settings)
        return html, metadata


def report_removals(removed: list[sanitize.Removal], doc: schema.Document, state) -> None:
    """Make each thing the sanitizer removed from the body a warning at its line in the file."""
    for line, message in sanitize.placed(doc.body, removed):
        state.warnings.append(ContentError(doc.path, doc.body_line + line - 1, message))


def pelican_metadata(doc: schema.Document, html: str, state) -> dict:
    """Turn a checked document into the metadata Pelican sets on its content object."""
    meta = doc.meta
    image = meta.get("image")
    result = {
        "title": meta.get("title") or doc.path,
        "slug": meta.get("slug") or "loi",
        "summary": meta.get("summary") or markup.lead(html),
        "standfirst": meta.get("summary") or "",  # shown above the body only when written (else it repeats the body)
        "source_path_shown": doc.path,
    }
    if doc.kind == "article":
        result.update(
            date=meta.get("date") or datetime(1970, 1, 1, tzinfo=state.context.zone),
            units=meta.get("units") or (),
            terms=tuple(sorted(meta.get("terms") or (), key=lambda term: (term.start, term.end))),  # oldest first
            keywords=meta.get("tags") or (),
            byline=meta.get("author") or "",
            byline_title=meta.get("author_title") or "",
            image=schema.Image(image, meta.get("image_caption") or "") if image else None,
        )
    # A file with errors never reaches the site; the build stops once every file is checked. A scheduled article
    # is a draft until the first build on or after its date.
    result["status"] = "published" if not doc.errors and is_published(doc.kind, meta, state) else "draft"
    return result
