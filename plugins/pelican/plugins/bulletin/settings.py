"""The plugin's settings: one DEFAULTS table; unknown BULLETIN_* keys are refused."""

from __future__ import annotations

DEFAULTS = {
    "BULLETIN_REGISTRY": "units.yml",  # the unit registry, relative to the content folder
    "BULLETIN_RELATED": 5,  # related articles shown under an article
    "BULLETIN_FEED_ITEMS": 20,  # entries in each unit and term feed
    "BULLETIN_PREVIEW": False,  # preview build: show scheduled (future) articles, marked
    "BULLETIN_NOW": None,  # the moment that decides what is scheduled (None: the build's clock)
    "BULLETIN_WORKERS": None,  # processes that read and render (None: one per core; 0 or 1: this process only)
    "BULLETIN_CACHE": ".cache/bulletin",  # Markdown -> HTML cache, by body hash and code version ("": none)
    "BULLETIN_PUBLISH": False,  # public build: hashed asset names, CSP, sitemap, robots.txt, .gz/.br (publish.py)
    "BULLETIN_EDITOR": None,  # the web editor at /quan-tri/: {"backend": "local"|"github"|"forgejo"|"gitea", …} (cms.py)
}
STATE_KEY = "_BULLETIN_STATE"


class SettingsError(ValueError):
    """A setting the plugin does not know; the message is Vietnamese."""


def check_settings(settings: dict) -> dict:
    """Fill in defaults and refuse unknown BULLETIN_* names, listing the valid ones."""
    unknown = sorted(k for k in settings if k.startswith("BULLETIN_") and k not in DEFAULTS)
    if unknown:
        raise SettingsError(
            f"thiết lập không hợp lệ: {', '.join(unknown)} — các thiết lập dùng được: {', '.join(DEFAULTS)}"
        )
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    if settings["BULLETIN_PUBLISH"] and not str(settings.get("SITEURL", "")).startswith(("https://", "http://")):
        raise SettingsError(
            "bản công khai cần địa chỉ trang đầy đủ trong biến môi trường SITEURL — "
            "ví dụ: SITEURL=https://example.org/ban-tin invoke build --production"
        )
    return settings
