"""Screenshots of every page: ``python -m tests.e2e.shoot OUTDIR [path...]``.

Starts the app on a free port with a temporary database, opens each page in headless
Chromium and writes ``OUTDIR/<page>.png``.
"""

from __future__ import annotations

import pathlib
import sys
import tempfile

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, goto, start_app, stop_app

PAGES = ["", "blackjack_strategy", "counting", "poker_drills", "equity_lab", "settings"]


def main(argv: list[str]) -> int:
    out = pathlib.Path(argv[0] if argv else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    paths = argv[1:] or PAGES
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_app(pathlib.Path(tmp) / "felt.db")
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                for path in paths:
                    goto(page, url, path)
                    page.wait_for_timeout(800)
                    name = path or "home"
                    page.screenshot(path=str(out / f"{name}.png"), full_page=True)
                    print(out / f"{name}.png")
                browser.close()
        finally:
            stop_app(proc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
