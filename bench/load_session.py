"""One official in the load check: a tab of its own (a Chromium context, bench/load_browser.py,
or a browserless tab speaking Streamlit's protocol, bench/load_protocol.py) that signs in
through the form, then until the deadline opens Action items from the menu, opens an item with
one click on a row of the list, saves a progress update and opens the Overview, thinking a
little between steps. Each step is timed by the tab from the click until the script run is
over and the page's title is drawn (a save: until its confirmation shows); each failure is
counted by kind and the tab starts afresh."""
from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Awaitable, Callable, Optional, Protocol

STEP_TIMEOUT_S = 60.0
SIGN_IN, OVERVIEW, ITEMS, ITEM, SAVE = "Sign in", "Overview", "Action items", "Action item", "Save update"
KINDS = (SIGN_IN, OVERVIEW, ITEMS, ITEM, SAVE)
NOTE_LABEL = "Note (required when On hold, Cancelled or Red)"
STALE_BUTTON = "I have reviewed their change: save mine on top of it"  # the stale-version panel's
# The list a role opens items from: a focal point's first tab is My items, anyone else's All items.
TABLE = {"demo.focal": "my_items_table", "demo.secretariat": "all_items_table"}


class ShownException(Exception):
    """Streamlit drew an exception in the page."""


class Refused(Exception):
    """The save was refused with a message other than the stale-version one."""


class Tab(Protocol):
    """What a session drives; every method returns once the run it caused is over."""

    async def sign_in(self, username: str, password: str) -> float: ...  # seconds from the click
    async def menu(self, title: str) -> float: ...
    async def open_item(self, table: str, pick: Callable[[int], int]) -> tuple[float, int]: ...  # and the item
    async def item_state(self) -> tuple[str, int]: ...  # the status shown and the form's progress
    async def save(self, note: str, progress: Optional[int]) -> tuple[float, bool]: ...  # False: stale
    async def reload(self) -> None: ...  # a page load of the Overview: a new Streamlit session
    async def close(self) -> None: ...


@dataclass
class Tally:
    """What every session saw, added up (asyncio: one session runs at a time, no lock)."""
    times: dict[str, list[float]] = field(default_factory=dict)  # "Overview (protocol)" -> seconds
    errors: Counter = field(default_factory=Counter)  # "timeout (Overview)" -> n
    examples: dict[str, str] = field(default_factory=dict)  # the first message of each kind
    stale: int = 0  # saves refused as based on an out-of-date version (shown the panel)
    stale_revisit: int = 0  # ... of an item this tab's Streamlit session had opened before
    saved_notes: list[str] = field(default_factory=list)  # every save the page confirmed
    reloads: int = 0

    def time(self, kind: str, client: str, seconds: float) -> None:
        self.times.setdefault(f"{kind} ({client})", []).append(seconds)

    def error(self, kind: str, detail: str) -> None:
        self.errors[kind] += 1
        self.examples.setdefault(kind, " ".join(detail.split())[:200])


@dataclass
class Official:
    number: int
    username: str
    password: str
    client: str  # "Chromium" or "protocol"
    forwarded_for: Optional[str]  # the address a balancer in front would write, or None


def next_progress(status: str, progress: int, rng: random.Random) -> Optional[int]:
    """An item in progress moves by 5 points (within 10-90, so no save completes it); others
    get a note only."""
    return progress + rng.choice((-5, 5)) if status == "In progress" and 10 <= progress <= 90 else None


class Session:
    def __init__(self, tab: Tab, who: Official, tally: Tally, *, tag: str, deadline: float, think_s: float):
        self.tab, self.who, self.tally, self.tag = tab, who, tally, tag
        self.deadline, self.think_s = deadline, think_s
        self.rng = random.Random(who.number)
        self.seen_items: set[int] = set()  # opened in the tab's Streamlit session
        self.revisit = False  # the item on screen was opened before in that session
        self.saves = 0

    async def run(self) -> None:
        """Sign in (landing on the Overview), then round and round until the deadline."""
        if not await self.step(SIGN_IN, lambda: self.tab.sign_in(self.who.username, self.who.password)):
            return
        steps = ((ITEMS, lambda: self.tab.menu(ITEMS)), (ITEM, self.open_item), (SAVE, self.save),
                 (OVERVIEW, lambda: self.tab.menu(OVERVIEW)))
        while time.monotonic() < self.deadline:
            for kind, action in steps:
                if not await self.think() or not await self.step(kind, action):
                    break

    async def think(self) -> bool:
        """A short pause, as a person reads; False once the time is up."""
        left = self.deadline - time.monotonic()
        if left > 0:
            await asyncio.sleep(min(left, self.rng.uniform(0.5, 1.5) * self.think_s))
        return time.monotonic() < self.deadline

    async def step(self, kind: str, action: Callable[[], Awaitable[Optional[float]]]) -> bool:
        """One step, which returns its time from the click (None: nothing to count, carry on
        from the Overview); on a failure count it and start the tab afresh. False: go back
        to the start of the round."""
        try:
            seconds = await asyncio.wait_for(action(), STEP_TIMEOUT_S)
        except Exception as exc:  # noqa: BLE001 - any failure (browser, connection, page) is counted
            self.tally.error(f"{_failure(exc)} ({kind})", str(exc).strip().split("\n")[0])
        else:
            if seconds is None:
                return False
            self.tally.time(kind, self.who.client, seconds)
            return True
        await self.reload()
        return False

    async def reload(self) -> None:
        self.seen_items.clear()  # the new Streamlit session has seen nothing
        self.tally.reloads += 1
        try:
            await asyncio.wait_for(self.tab.reload(), STEP_TIMEOUT_S)
        except Exception as exc:  # noqa: BLE001 - counted; the next step finds out
            self.tally.error(f"{_failure(exc)} (reload)", str(exc).strip().split("\n")[0])

    async def open_item(self) -> float:
        seconds, item_id = await self.tab.open_item(TABLE[self.who.username], self.rng.randrange)
        self.revisit = item_id in self.seen_items
        self.seen_items.add(item_id)
        return seconds

    async def save(self) -> Optional[float]:
        """A note with a number of its own (and maybe a move of progress), saved from the form.
        A stale-version refusal is counted apart and the tab starts afresh (a user reviews the
        newer change first; the check does not save on top of it)."""
        self.saves += 1
        note = f"Load check {self.tag} s{self.who.number:02d} n{self.saves}"
        status, progress = await self.tab.item_state()
        seconds, saved = await self.tab.save(note, next_progress(status, progress, self.rng))
        if saved:
            self.tally.saved_notes.append(note)
            return seconds
        self.tally.stale += 1
        self.tally.stale_revisit += self.revisit
        await self.reload()
        return None


def _failure(exc: Exception) -> str:
    """The kind of a failure, as the table counts it."""
    if isinstance(exc, ShownException):
        return "exception shown"
    if isinstance(exc, Refused):
        return "refused"
    if isinstance(exc, TimeoutError) or type(exc).__name__ == "TimeoutError":  # asyncio's, Playwright's
        return f"timeout ({STEP_TIMEOUT_S:.0f} s)"
    return type(exc).__name__  # a connection closed, a page not as expected (LookupError), ...


async def run_official(tab: Tab, who: Official, *, tag: str, deadline: float, think_s: float, tally: Tally) -> None:
    try:
        await Session(tab, who, tally, tag=tag, deadline=deadline, think_s=think_s).run()
    finally:
        await tab.close()


async def warm_up(tabs: list[Tab], username: str, password: str) -> None:
    """Before the clock starts, each process (one tab each) signs someone in and draws each
    page once, as in a deployment that has been running: a process's first run of a page
    imports and caches what later runs reuse (seconds, not what an official meets)."""
    async def one(tab: Tab) -> None:
        try:
            await tab.sign_in(username, password)
            await tab.menu(ITEMS)
            await tab.open_item(TABLE[username], lambda n: 0)
            await tab.menu(OVERVIEW)
        finally:
            await tab.close()

    await asyncio.gather(*(one(tab) for tab in tabs))
