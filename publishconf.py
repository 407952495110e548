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
