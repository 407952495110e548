"""Settings for the public site: the local settings plus the address it is published at."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "").rstrip("/")
FEED_DOMAIN = SITEURL
BULLETIN_PREVIEW = False
WITH_FUTURE_DATES = False
