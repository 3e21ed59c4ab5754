"""Take a full-page screenshot of a running dashboard page: python -m tests.browser.shoot URL OUT.png"""
from __future__ import annotations

import sys

from playwright.sync_api import sync_playwright

from bench.live import CHROMIUM, CHROMIUM_ARGS


def shoot(url: str, out: str, *, wait_text: str | None = None, width: int = 1400, height: int = 900) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(url)
        if wait_text:
            page.get_by_text(wait_text).first.wait_for(timeout=30000)
        page.wait_for_timeout(2500)
        page.screenshot(path=out, full_page=True)
        browser.close()


if __name__ == "__main__":
    shoot(sys.argv[1], sys.argv[2], wait_text=sys.argv[3] if len(sys.argv) > 3 else None,
          height=int(sys.argv[4]) if len(sys.argv) > 4 else 900)
