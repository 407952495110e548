"""Debian's Chromium driven by Playwright: how it is started, in one place (verify, the tests, the benchmarks)."""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"  # the system's browser: Playwright never downloads one
CHROMIUM_ARGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
)


def launch(playwright):
    """Start the system's Chromium, headless, with the flags above; the caller closes it."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS), headless=True)
