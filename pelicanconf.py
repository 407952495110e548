"""Settings for the bulletin site (local build and preview). Settings only: no logic."""

import os

SITENAME = "Bản tin Tỉnh ủy Bình Phước"
SITESUBTITLE = "Tin hoạt động của các cấp ủy, tổ chức đảng trong tỉnh"
SITEURL = ""
DEFAULT_LANG = "vi"
TIMEZONE = "Asia/Ho_Chi_Minh"

PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "tai-lieu"]  # photos and illustrations; attached documents (PDF, Word…)
THEME = "theme"
THEME_STATIC_DIR = "theme"

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["pelican.plugins.bulletin"]

ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None

# The plugin writes the unit, term and date indexes; Pelican's own taxonomies are off.
DIRECT_TEMPLATES = ["index"]  # Pelican reads <NAME>_URL and <NAME>_SAVE_AS of these only
INDEX_URL = ""  # page 1 of the home page is "/", not "/index.html" (pagination links)
CATEGORY_SAVE_AS = ""
TAG_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = "tin-tuc"  # never shown; Pelican needs one

DEFAULT_PAGINATION = 20
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/trang/{number}/", "{base_name}/trang/{number}/index.html"),
)

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "atom.xml"
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
FEED_MAX_ITEMS = 20

JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True, "extensions": []}
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = False
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

MENU_PAGES = ["gioi-thieu", "lien-he"]

# The footer of every page (README, "Thông tin cuối trang"); the public build refuses to run without the first two.
# Sample values: the address, numbers and licence below are made up for the sample bulletin.
BULLETIN_AGENCY = "Tỉnh ủy Bình Phước"
BULLETIN_RESPONSIBLE = "Trần Quốc Thịnh, Phó Chánh Văn phòng Tỉnh ủy"
BULLETIN_ADDRESS = "Phòng 204, nhà B, số 15 đường Hùng Vương, phường Tân Phú, thành phố Đồng Xoài, tỉnh Bình Phước"
BULLETIN_PHONE = "0271 000 0000"
BULLETIN_EMAIL = "bantin@example.org"
BULLETIN_LICENSE = "Số 00/GP-STTTT do Sở Thông tin và Truyền thông cấp ngày 15/3/2021 (số giả định của bản mẫu)"

# The preview shows scheduled articles, marked as such (invoke livereload sets this; so does BULLETIN_PREVIEW=1).
WITH_FUTURE_DATES = os.environ.get("BULLETIN_PREVIEW") == "1"
