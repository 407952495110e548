"""Settings for the public site: the local settings plus the address it is published at (from SITEURL)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # pelicanconf.py beside this file
from pelicanconf import *  # noqa: F403

# The full address, sub-path included: SITEURL=https://example.org/ban-tin (no slash at the end needed).
SITEURL = os.environ.get("SITEURL", "").strip().rstrip("/")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
WITH_FUTURE_DATES = False
BULLETIN_PUBLISH = True

# The web editor at /quan-tri/, only when a backend is named (README, "Trình soạn thảo trên web khi đã xuất bản"):
# CMS_BACKEND=github (with CMS_REPO, CMS_AUTH_URL) or forgejo / gitea (with CMS_REPO, CMS_API_ROOT, CMS_APP_ID).
BULLETIN_EDITOR = {
    "backend": os.environ.get("CMS_BACKEND", "").strip().lower(),
    "repo": os.environ.get("CMS_REPO", "").strip(),
    "branch": os.environ.get("CMS_BRANCH", "").strip() or "main",
    "auth_url": os.environ.get("CMS_AUTH_URL", "").strip(),
    "api_root": os.environ.get("CMS_API_ROOT", "").strip(),
    "app_id": os.environ.get("CMS_APP_ID", "").strip(),
}
