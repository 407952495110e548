"""The steps run on a finished site before it is swapped in, in order: what the tasks and the preview pass to
build.build (the build itself runs whatever its caller gives it).

Order matters: asset hashing and the CSP rewrite the pages first (the search index reads only their text); the web
editor comes after them (its page has its own policy and finds the hashed stylesheet); the sitemap needs every page in
place; compression comes last so it covers the search bundle, the editor and the sitemap. The publish.* steps do
nothing unless BULLETIN_PUBLISH (publishconf.py) is set; the editor's unless BULLETIN_EDITOR is.
"""

from __future__ import annotations

from . import cms, publish, searchindex

FINISHERS = (publish.fingerprint, cms.write_editor, searchindex.build_index, publish.sitemap, publish.compress)
