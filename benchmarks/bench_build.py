"""Run one bulletin build for the benchmark and print its timings as one line of JSON.

    python benchmarks/bench_build.py --content DIR --output DIR [--search] [--reference] [--preview]

--search     run every finisher of finishers.FINISHERS (the search index among them), each one timed
--reference  turn every fast path off (one process, no cache): the output other builds must match
--preview    build with the live preview's settings
--public     build with publishconf.py (at SITEURL, https://example.org/ban-tin unless set): with the printed
             editions (every finisher too, with --search), unless --no-editions
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import time

from pelican.plugins.bulletin import build as builder
from pelican.plugins.bulletin.finishers import FINISHERS
from pelican.plugins.bulletin.settings import DEFAULTS

REFERENCE = {"BULLETIN_WORKERS": 0, "BULLETIN_CACHE": ""}


def timed(finish, spent: dict):
    """Wrap a finisher so its time is recorded under its name."""

    @functools.wraps(finish)
    def run(output, settings):
        started = time.perf_counter()
        try:
            return finish(output, settings)
        finally:
            spent[f"{finish.__module__.rsplit('.', 1)[-1]}.{finish.__name__}"] = time.perf_counter() - started

    return run


def main() -> None:
    """Build once and print {"pelican": s, "finishers": {...}, "search": s}."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--content", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--search", action="store_true")
    parser.add_argument("--reference", action="store_true")
    parser.add_argument("--preview", action="store_true")
    parser.add_argument("--public", action="store_true")
    parser.add_argument("--no-editions", action="store_true")
    args = parser.parse_args()
    overrides = {}
    if args.public:
        os.environ.setdefault("SITEURL", "https://example.org/ban-tin")
    if args.no_editions:
        overrides["BULLETIN_EDITION_UNITS"] = []
    if args.reference:
        overrides.update({k: v for k, v in REFERENCE.items() if k in DEFAULTS})
    if args.preview:
        from pelican.plugins.bulletin.serve import PREVIEW_SETTINGS

        overrides.update(PREVIEW_SETTINGS)
    spent: dict[str, float] = {}
    finishers = tuple(timed(f, spent) for f in FINISHERS) if args.search else ()
    started = time.perf_counter()
    conf = "publishconf.py" if args.public else "pelicanconf.py"
    outcome = builder.build(conf, args.content, args.output, overrides, finishers=finishers)
    total = time.perf_counter() - started
    if not outcome.ok:
        print("\n".join(outcome.errors[:20]), file=sys.stderr)
        sys.exit(1)
    search = sum(s for name, s in spent.items() if name.startswith("searchindex."))
    print(json.dumps({"pelican": outcome.seconds, "inside": total, "finishers": spent, "search": search}))


if __name__ == "__main__":
    main()
