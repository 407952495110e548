"""The plugin's settings: one DEFAULTS table; unknown BULLETIN_* keys are refused."""

from __future__ import annotations

from .errors import SettingsError

DEFAULTS = {
    "BULLETIN_REGISTRY": "units.yml",  # the unit registry, relative to the content folder
    "BULLETIN_RELATED": 5,  # related articles shown under an article
    "BULLETIN_FEED_ITEMS": 20,  # entries in each unit and term feed
    "BULLETIN_NOW": None,  # the moment that decides what is scheduled (None: the build's clock)
    "BULLETIN_WORKERS": None,  # processes that read and render (None: one per core; 0 or 1: this process only)
    "BULLETIN_CACHE": ".cache/bulletin",  # Markdown -> HTML cache, by body hash and code version ("": none)
    "BULLETIN_PUBLISH": False,  # public build: hashed asset names, CSP, sitemap, robots.txt, .gz/.br (publish.py)
    "BULLETIN_EDITOR": None,  # the web editor at /quan-tri/: {"backend": "local"|"github"|"forgejo"|"gitea", …} (cms.py)
    # Units that get a printed monthly edition (PDF, A4) in the public build: a list of unit codes, or None for the
    # registry's roots and their direct children; [] for none. The whole site's edition is its root's (editions.py).
    "BULLETIN_EDITION_UNITS": None,
    # The footer of every page: what an agency's news site must show. The public build needs the first two.
    "BULLETIN_AGENCY": "",  # cơ quan chủ quản
    "BULLETIN_RESPONSIBLE": "",  # người chịu trách nhiệm nội dung (name, and title if wished)
    "BULLETIN_ADDRESS": "",  # địa chỉ
    "BULLETIN_PHONE": "",  # điện thoại
    "BULLETIN_EMAIL": "",  # thư điện tử
    "BULLETIN_LICENSE": "",  # giấy phép (số, ngày, nơi cấp), where there is one
}
# Footer settings the public build refuses to go without: key -> (what it is, an example), for the message.
REQUIRED_TO_PUBLISH = {
    "BULLETIN_AGENCY": ("cơ quan chủ quản", "Tỉnh ủy Bình Phước"),
    "BULLETIN_RESPONSIBLE": ("người chịu trách nhiệm nội dung", "Nguyễn Văn A, Chánh Văn phòng Tỉnh ủy"),
}
STATE_KEY = "_BULLETIN_STATE"


def check_settings(settings: dict) -> dict:
    """Fill in defaults and refuse unknown BULLETIN_* names, listing the valid ones; a public build also needs a full
    SITEURL and the footer's cơ quan chủ quản and người chịu trách nhiệm nội dung."""
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
    missing = [key for key in REQUIRED_TO_PUBLISH if settings["BULLETIN_PUBLISH"] and not str(settings[key] or "").strip()]
    if missing:
        named = ", ".join(f"{key} ({REQUIRED_TO_PUBLISH[key][0]})" for key in missing)
        examples = "; ".join(f'{key} = "{REQUIRED_TO_PUBLISH[key][1]}"' for key in missing)
        raise SettingsError(
            f"bản công khai phải ghi ở cuối mọi trang {named} nhưng thiết lập này đang trống — "
            f"hãy điền vào pelicanconf.py, ví dụ: {examples} (xem README, mục Thông tin cuối trang)"
        )
    return settings
