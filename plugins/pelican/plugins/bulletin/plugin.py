"""Register the bulletin plugin with Pelican: thin signal receivers, all at module level."""

from __future__ import annotations

from pelican import signals

from . import images, printing
from .errors import ContentErrors
from .filters import FILTERS
from .generator import PAGINATED, BulletinGenerator, settle_feed, skip_unwritten_taxonomies
from .incremental import keep_model
from .markup import real_folder
from .prefetch import finish_reading, note_read_order, start_reading
from .reader import BulletinReader
from .sanitize import feed_items_as_text
from .searchindex import keep_articles
from .sources import HEIF_TYPES, IGNORED, RASTER_TYPES, any_case
from .state import get_state, start_build
from .static import hold_back_svgs, write_svgs
from .writer import flush_writes, writer_class


def initialize(pelican) -> None:
    """Start a fresh build state; add the Jinja filters and the paginated index templates."""
    settings = pelican.settings
    # Photos are published as variants (images.py), never as they are: Pelican does not copy them.
    photos = [any_case(f"*{extension}") for extension in RASTER_TYPES + HEIF_TYPES]
    settings["IGNORE_FILES"] = list(dict.fromkeys([*settings.get("IGNORE_FILES", []), *IGNORED, *photos]))
    real_folder.cache_clear()
    start_build(settings)
    settings["JINJA_FILTERS"] = {**FILTERS, **settings.get("JINJA_FILTERS", {})}
    for name in PAGINATED:
        settings["PAGINATED_TEMPLATES"].setdefault(name, None)


def use_reader(readers) -> None:
    """Read .md and .markdown files with the front-matter reader, and no other format (.mkd, .mdown…): it would skip
    the checks. The files left unread are errors (sources.stray_file_errors)."""
    for extension in readers.reader_classes:
        if extension != "static":  # Pelican's reader of static files (images), not a content format
            readers.reader_classes[extension] = None
    for extension in BulletinReader.file_extensions:
        readers.reader_classes[extension] = BulletinReader


def add_generator(pelican):
    """Add the index generator."""
    return BulletinGenerator


def note_articles(generator) -> None:
    """Tell the reading workers which article files come, in Pelican's order."""
    note_read_order(generator, "ARTICLE_PATHS", "ARTICLE_EXCLUDES")


def note_pages(generator) -> None:
    """Tell the reading workers which page files come, in Pelican's order; every file is known now, so start them
    (the page generator is made after the article generator, and both before anything is read)."""
    note_read_order(generator, "PAGE_PATHS", "PAGE_EXCLUDES")
    start_reading(generator.settings)


def stop_reading(generators) -> None:
    """Stop the reading workers once every file is read; the live preview keeps the generators."""
    finish_reading(generators[0].settings)
    keep_model(generators)


def make_photos(generators) -> None:
    """Make the variants of the photos published pages show (cached, on every core) and put them into the output."""
    settings = generators[0].settings
    get_state(settings).errors.extend(images.publish(settings, settings["OUTPUT_PATH"]))
    images.prune(settings)


def stop_on_errors(generators) -> None:
    """Once every file is read and every index built, fail the build if any check found a problem."""
    state = get_state(generators[0].settings)
    if state.errors:
        raise ContentErrors(state.errors)


def start_press(pelican) -> None:
    """Start the printed editions' press, if the build makes any, now that the pages are written."""
    printing.start_planned(pelican.settings)


def register() -> None:
    """Connect the receivers."""
    signals.initialized.connect(initialize)
    signals.readers_init.connect(use_reader)
    signals.get_generators.connect(add_generator)
    signals.article_generator_init.connect(note_articles)
    signals.page_generator_init.connect(note_pages)
    signals.article_generator_finalized.connect(skip_unwritten_taxonomies)
    signals.all_generators_finalized.connect(stop_reading)
    signals.all_generators_finalized.connect(make_photos)
    signals.all_generators_finalized.connect(stop_on_errors)
    signals.all_generators_finalized.connect(keep_articles)
    signals.get_writer.connect(writer_class)
    signals.static_generator_finalized.connect(hold_back_svgs)
    signals.finalized.connect(flush_writes)
    signals.finalized.connect(start_press)  # after the writers: it would slow them
    signals.finalized.connect(write_svgs)
    signals.feed_generated.connect(feed_items_as_text)
    signals.feed_generated.connect(settle_feed)
