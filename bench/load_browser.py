"""A load-check tab in Chromium (a browser context of its own): what an official sees, drawing
included. It tells that a run is over as the browser tests do (bench/live.py's PAGE_STATE_JS)."""
from __future__ import annotations

import time
from typing import Callable, Optional

from playwright.async_api import Browser, Page

from bench.live import PAGE_STATE_JS
from bench.load_session import NOTE_LABEL, STALE_BUTTON, STEP_TIMEOUT_S, ShownException, Refused

VIEWPORT = {"width": 1280, "height": 900}
ROW_PX = 35  # the height of a table's header and of each of its rows

# The page's own title once the run is over (not `prev`, the page before), or the first lines
# of an exception Streamlit shows in the page.
SETTLED_JS = f"""prev => {{ const [title, running] = ({PAGE_STATE_JS})();
  if (running) return false;
  const exc = document.querySelector('[data-testid=stException]');
  if (exc) return {{exception: exc.innerText.slice(0, 200)}};
  return title && title !== prev ? {{title}} : false; }}"""
# What a save ended in, once the run is over: a new "Update saved." toast, the stale-version
# panel, another refusal, or an exception. Toasts already on screen were marked before.
SAVED_JS = f"""() => {{ const [, running] = ({PAGE_STATE_JS})();
  if (running) return false;
  const exc = document.querySelector('[data-testid=stException]');
  if (exc) return {{exception: exc.innerText.slice(0, 200)}};
  if ([...document.querySelectorAll('[data-testid=stToast]')].some(t => !t.dataset.lcSeen
      && t.innerText.includes('Update saved.'))) return {{saved: true}};
  // A save starts a fresh form (the typed note gone). Its toast may not show as a new one:
  // the last save's "Update saved." can still be on screen, the same element.
  const note = document.querySelector({f'textarea[aria-label="{NOTE_LABEL}"]'!r});
  if (note && note.value === '' && [...document.querySelectorAll('[data-testid=stToast]')].some(
      t => t.innerText.includes('Update saved.'))) return {{saved: true}};
  if ([...document.querySelectorAll('button')].some(b => b.innerText.includes({STALE_BUTTON!r})))
    return {{stale: true}};
  const err = document.querySelector('[data-testid=stMain] [data-testid=stAlertContentError]');
  return err ? {{refused: err.innerText.slice(0, 200)}} : false; }}"""
MARK_TOASTS_JS = "() => document.querySelectorAll('[data-testid=stToast]').forEach(t => t.dataset.lcSeen = '1')"


class BrowserTab:
    def __init__(self, browser: Browser, base: str, forwarded_for: Optional[str]):
        self.browser, self.base = browser, base
        self.headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
        self.page: Optional[Page] = None
        self.title: Optional[str] = None  # the title of the page on screen

    async def _settled(self, prev: Optional[str]) -> str:
        """Wait until the run is over and a title other than `prev` is drawn; return it."""
        state = await (await self.page.wait_for_function(SETTLED_JS, arg=prev, polling=100)).json_value()
        if "exception" in state:
            raise ShownException(state["exception"])
        return state["title"]

    async def sign_in(self, username: str, password: str) -> float:
        context = await self.browser.new_context(viewport=VIEWPORT, extra_http_headers=self.headers)
        self.page = page = await context.new_page()
        page.set_default_timeout(STEP_TIMEOUT_S * 1000)
        await page.goto(f"{self.base}/")
        self.title = await self._settled(None)
        await page.locator(".st-key-signin_username input").fill(username)
        await page.locator(".st-key-signin_password input").fill(password)
        started = time.perf_counter()
        await page.get_by_role("button", name="Sign in").click()
        self.title = await self._settled(self.title)
        seconds = time.perf_counter() - started
        # The cookie is written by a script at the end of the run: a reload needs it.
        for _ in range(300):
            if any(c["name"] == "mou_session" and c["value"] for c in await context.cookies()):
                return seconds
            await page.wait_for_timeout(100)
        raise TimeoutError("the session cookie was not set after signing in")

    async def menu(self, title: str) -> float:
        started = time.perf_counter()
        await self.page.locator("[data-testid=stSidebarNav] a", has_text=title).first.click()
        self.title = await self._settled(self.title if self.title != title else None)
        seconds = time.perf_counter() - started
        if self.title != title:
            raise LookupError(f"the menu's {title!r} drew {self.title!r}")
        return seconds

    async def open_item(self, table: str, pick: Callable[[int], int]) -> tuple[float, int]:
        """One click on a row of the list in view (`pick(rows in view)` says which)."""
        grid = self.page.locator(f".st-key-{table} [data-testid=stDataFrame]").first
        await grid.evaluate("el => el.scrollIntoView({block: 'center'})")
        rows = int(await grid.locator("[role=grid]").first.get_attribute("aria-rowcount") or 1) - 1
        box = await grid.bounding_box()
        row = pick(max(1, min(rows, int((box["height"] - ROW_PX) // ROW_PX))))
        started = time.perf_counter()
        await self.page.mouse.click(box["x"] + 18, box["y"] + ROW_PX + ROW_PX * row + ROW_PX // 2)
        await self.page.wait_for_url("**/item?id=*")
        self.title = await self._settled(self.title)
        return time.perf_counter() - started, int(self.page.url.rsplit("id=", 1)[1].split("&")[0])

    async def item_state(self) -> tuple[str, int]:
        status = await self.page.locator("[data-testid=stMetricValue]").first.inner_text()
        return status.strip(), int(await self.page.get_by_label("Progress (%)").input_value())

    async def save(self, note: str, progress: Optional[int]) -> tuple[float, bool]:
        page = self.page
        if progress is not None:
            await page.get_by_label("Progress (%)").fill(str(progress))
            await page.get_by_label("Progress (%)").press("Tab")
        await page.get_by_label(NOTE_LABEL).fill(note)
        await page.wait_for_timeout(300)  # the form reads the typed text
        await page.evaluate(MARK_TOASTS_JS)
        started = time.perf_counter()
        await page.get_by_role("button", name="Save update").click()
        outcome = await (await page.wait_for_function(SAVED_JS, polling=100)).json_value()
        if "exception" in outcome:
            raise ShownException(outcome["exception"])
        if "refused" in outcome:
            raise Refused(outcome["refused"])
        return time.perf_counter() - started, "saved" in outcome

    async def reload(self) -> None:
        await self.page.goto(f"{self.base}/")
        self.title = await self._settled(None)

    async def close(self) -> None:
        if self.page is not None:
            await self.page.context.close()
            self.page = None
