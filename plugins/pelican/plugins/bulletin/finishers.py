"""The steps run on a finished site before it is swapped in, in order: what the tasks and the preview pass to
build.build (the build itself runs whatever its caller gives it, then printing.finish if none of them was it).

Order matters: asset hashing and the CSP rewrite the pages first (the search index reads only their text); the web
editor comes after them (its page has its own policy and finds the hashed stylesheet); compression covers the search
bundle and the editor. The printed editions come late: the press (printing.py) lays them out while these steps run,
mostly on one core; briefed by printing.brief once the theme files have their hashed names, it stamps and compresses
its own pages as fingerprint and compress do the others; printing.finish then moves its files into place. The sitemap
needs every page in place, so it comes after, and compresses itself (publish.catch_up). The publish.* steps do nothing unless BULLETIN_PUBLISH (publishconf.py) is set; the editor's unless
BULLETIN_EDITOR is.
"""

from __future__ import annotations

from . import cms, printing, publish, searchindex

FINISHERS = (publish.fingerprint, printing.brief, cms.write_editor, searchindex.build_index, publish.compress,
             printing.finish, publish.sitemap)
