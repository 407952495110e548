"""One build's state: the registry, the documents read and the errors found. Lives in the settings dict."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from .errors import ContentError, display_path
from .registry import Registry, load_registry
from .sanitize import svg_errors
from .schema import Context, Document, static_file_errors
from .settings import STATE_KEY, check_settings
from .sources import stray_file_errors

FUTURE_KEY = "_BULLETIN_WITH_FUTURE_DATES"  # the value WITH_FUTURE_DATES had before the plugin took over


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

    def withheld(self, moment: datetime) -> bool:
        """Tell whether an article dated `moment` waits for a later build (dated after now, not a preview)."""
        return not self.show_future and moment > self.now

    def record(self, doc: Document) -> None:
        """Keep a checked document and its errors."""
        self.documents[doc.path] = doc
        self.errors.extend(doc.errors)
        self.warnings.extend(doc.warnings)


def start_build(settings: dict) -> BuildState:
    """Check the settings, load the unit registry and store a fresh state in the settings."""
    check_settings(settings)
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
    show_future = settings.setdefault(FUTURE_KEY, bool(settings.get("WITH_FUTURE_DATES")))
    settings["WITH_FUTURE_DATES"] = True
    errors = [*errors, *static_file_errors(content_dir, settings.get("STATIC_PATHS") or [], display_path)]
    errors += svg_errors(content_dir, settings.get("STATIC_PATHS") or [], display_path)
    errors += stray_file_errors(settings, display_path)
    context = Context(registry=registry, zone=zone, content_dir=content_dir, registry_path=shown, registry_ok=registry_ok)
    state = BuildState(registry=registry, context=context, now=now, errors=list(errors), show_future=show_future)
    settings[STATE_KEY] = state
    return state


def get_state(settings: dict) -> BuildState:
    """Return the state of the build these settings belong to (starting it if needed)."""
    return settings.get(STATE_KEY) or start_build(settings)
