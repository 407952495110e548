"""One build's state: the registry, the documents read, the errors found and the build's moving parts (the Markdown
cache, the reading pool, the writer's jobs). It lives in the settings dict, under STATE_KEY, and nowhere else."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .errors import ContentError, display_path
from .registry import Registry, load_registry
from .schema import Context, Document, static_file_errors
from .settings import STATE_KEY, check_settings
from .sources import stray_file_errors
from .static import static_type_errors

if TYPE_CHECKING:
    from .htmlcache import HtmlCache
    from .images import Photos
    from .prefetch import Prefetch
    from .writer import ParallelWriter

# The live preview hands the build a dict to keep the model in through this settings override (it is set before
# Pelican starts); start_build moves it into the state.
LIVE_KEY = "_BULLETIN_LIVE"


@dataclass
class BuildState:
    """What the reader and the generator share during one build."""

    registry: Registry
    context: Context
    now: datetime
    errors: list[ContentError] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)  # reported, but the build goes on
    documents: dict[str, Document] = field(default_factory=dict)
    published: int = 0  # articles on the site (set once the indexes are built)
    show_future: bool = False  # preview: articles dated after `now` are shown, marked as scheduled
    workers: int = 1  # processes that read and render (1: everything stays in this process)
    read_order: list[str] = field(default_factory=list)  # the files Pelican will read, in the order it asks for them
    cache: HtmlCache | None = None  # the Markdown cache, once reading starts (None: no cache)
    prefetch: Prefetch | None = None  # the reading pool, while it runs
    writer: ParallelWriter | None = None  # the writer holding the page jobs until the end of the build
    live: dict | None = None  # the live preview's holder: keeps the generators and the writer's jobs
    svgs: list[tuple[str, str]] = field(default_factory=list)  # (source, save_as): published rebuilt (static.py)
    photos: Photos | None = None  # the photos read and the ones published pages show, from the first one (images.py)

    def withheld(self, moment: datetime) -> bool:
        """Tell whether an article dated `moment` waits for a later build (dated after now, not a preview)."""
        return not self.show_future and moment > self.now

    def record(self, doc: Document) -> None:
        """Keep a checked document and its errors."""
        self.documents[doc.path] = doc
        self.errors.extend(doc.errors)
        self.warnings.extend(doc.warnings)


def worker_count(settings: dict) -> int:
    """Return how many processes may work (1: everything stays in this process)."""
    wanted = settings.get("BULLETIN_WORKERS")
    if wanted is None:
        wanted = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, int(wanted))


def start_build(settings: dict) -> BuildState:
    """Check the settings, load the unit registry and store a fresh state in the settings."""
    check_settings(settings)
    previous = settings.get(STATE_KEY)
    zone = ZoneInfo(settings.get("TIMEZONE") or "Asia/Ho_Chi_Minh")
    content_dir = settings["PATH"]
    registry_file = os.path.join(content_dir, settings["BULLETIN_REGISTRY"])
    shown = display_path(registry_file)
    registry, errors = load_registry(registry_file, shown)
    registry_ok = not errors  # units are checked against the registry only when it loaded cleanly
    now = settings["BULLETIN_NOW"] or datetime.now(zone)
    if now.tzinfo is None:
        now = now.replace(tzinfo=zone)
    # Pelican's own WITH_FUTURE_DATES check reads the real clock; the plugin decides from `now` instead,
    # so a build pinned with BULLETIN_NOW publishes exactly what a build at that moment would.
    show_future = previous.show_future if previous else bool(settings.get("WITH_FUTURE_DATES"))
    settings["WITH_FUTURE_DATES"] = True
    errors = [*errors, *static_file_errors(content_dir, settings.get("STATIC_PATHS") or [], display_path)]
    errors += static_type_errors(content_dir, settings.get("STATIC_PATHS") or [], display_path)
    errors += stray_file_errors(settings, display_path)
    context = Context(registry=registry, zone=zone, content_dir=content_dir, registry_path=shown, registry_ok=registry_ok)
    live = settings.pop(LIVE_KEY) if LIVE_KEY in settings else previous.live if previous else None
    state = BuildState(registry=registry, context=context, now=now, errors=list(errors), show_future=show_future,
                       workers=worker_count(settings), live=live)
    settings[STATE_KEY] = state
    return state


def get_state(settings: dict) -> BuildState:
    """Return the state of the build these settings belong to (starting it if needed)."""
    return settings.get(STATE_KEY) or start_build(settings)
