"""A tab without a browser: it speaks to the server as Streamlit's frontend does over
/_stcore/stream (up: a BackMsg asking for a rerun, with the page and the widget values a
click or a form changed; down: ForwardMsg, the elements each script run draws), and draws
nothing. The server does the same work as for a browser's tab; the client costs a fraction
of a Chromium context, so one process holds fifty of them on two cores.

Streamlit's wire protocol is not a public API: its messages (streamlit.proto) are read by
field names that Streamlit's own frontend uses, and a Streamlit upgrade that changes them
fails tests/browser/test_load_check_browser.py."""
from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

import pyarrow as pa
import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from bench.load_session import ITEMS, NOTE_LABEL, OVERVIEW, STALE_BUTTON, Refused, ShownException

COOKIE_RE = re.compile(r"mou_session=([A-Za-z0-9_-]{20,200})")
MENU = {OVERVIEW: "", ITEMS: "items"}  # the menu's entries by address ('': the default page)


class PageNotFound(Exception):
    """The server answered a page change with 'page not found'."""


@dataclass
class Drawn:
    """What one script run (and the reruns it asked for) drew, in order."""
    elements: list = field(default_factory=list)  # (element kind, its proto)

    def of(self, kind: str) -> list:
        return [el for k, el in self.elements if k == kind]

    @property
    def title(self) -> Optional[str]:
        return next((el.body for el in self.of("heading") if el.tag == "h1"), None)

    def widget(self, kind: str, label: str):
        found = [el for el in self.of(kind) if el.label == label]
        if not found:
            raise LookupError(f"no {kind} labelled {label!r} on the page")
        return found[0]

    def keyed(self, kind: str, key: str):
        """The widget of `kind` made with key=`key` (its id ends with it)."""
        found = [el for el in self.of(kind) if el.id.endswith(f"-{key}")]
        if not found:
            raise LookupError(f"no {kind} with the key {key!r} on the page")
        return found[0]

    def errors(self) -> list[str]:
        return [el.body for el in self.of("alert") if el.format == Alert.ERROR]

    def exception(self) -> Optional[str]:
        shown = self.of("exception")
        return f"{shown[0].type}: {shown[0].message}" if shown else None


def text_value(widget, value: str) -> WidgetState:
    return WidgetState(id=widget.id, string_value=value)


def int_value(widget, value: int) -> WidgetState:
    return WidgetState(id=widget.id, int_value=value)


def pressed(button) -> WidgetState:
    return WidgetState(id=button.id, trigger_value=True)


def row_picked(frame, row: int) -> WidgetState:
    """A click on row `row` of a table made with on_select and single-row selection."""
    return WidgetState(id=frame.id, string_value=json.dumps({"selection": {"rows": [row], "columns": [], "cells": []}}))


def row_count(frame) -> int:
    return pa.ipc.open_stream(frame.arrow_data.data).read_all().num_rows


class ProtocolTab:
    """One tab: its websocket, the page it is on (script hash and query string), the menu's
    pages by address and the session cookie once signed in."""

    def __init__(self, base: str, headers: dict[str, str]):
        self.url = base.replace("http://", "ws://", 1) + "/_stcore/stream"
        self.headers = headers
        self.cookie: Optional[str] = None
        self.ws = None
        self.page_hash, self.query = "", ""
        self.pages: dict[str, str] = {}  # url path ('' for the default page) -> script hash
        self.cache: dict[str, ForwardMsg] = {}  # messages the server may send again by reference

    async def open(self) -> Drawn:
        """Connect (as a page load of the default page does, with the cookie if any) and run it."""
        await self.close()
        headers = dict(self.headers, **({"Cookie": f"mou_session={self.cookie}"} if self.cookie else {}))
        self.ws = await websockets.connect(self.url, subprotocols=["streamlit"], additional_headers=headers,
                                           max_size=None, open_timeout=60)
        self.page_hash, self.query, self.cache = "", "", {}
        return await self.rerun()

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def go(self, url_path: str) -> Drawn:
        """A click on a menu entry."""
        self.query = ""
        return await self.rerun(page_hash=self.pages[url_path])

    async def rerun(self, *widgets: WidgetState, page_hash: Optional[str] = None) -> Drawn:
        """Ask for a run with these widget values (the others keep theirs) and collect what it
        draws until the last run it leads to is over."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string, state.page_script_hash = self.query, page_hash if page_hash is not None else self.page_hash
        state.widget_states.widgets.extend(widgets)
        await self.ws.send(msg.SerializeToString())
        drawn = Drawn()
        while True:
            fwd = self._resolve(await self.ws.recv())
            kind = fwd.WhichOneof("type")
            if kind == "new_session":  # a run starts: what an earlier one drew is replaced
                drawn, self.page_hash = Drawn(), fwd.new_session.page_script_hash
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
                self.page_hash = fwd.navigation.page_script_hash or self.page_hash
            elif kind == "page_info_changed":
                self.query = fwd.page_info_changed.query_string
            elif kind == "page_not_found":
                raise PageNotFound(fwd.page_not_found.page_name)
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                drawn.elements.append((element.WhichOneof("type"), getattr(element, element.WhichOneof("type"))))
                self._keep_cookie(drawn.elements[-1])
            elif kind == "script_finished" and fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return drawn

    def _resolve(self, data: bytes) -> ForwardMsg:
        """A message, or the one a reference names (sent once in full to this tab before)."""
        fwd = ForwardMsg()
        fwd.ParseFromString(data)
        if fwd.WhichOneof("type") == "ref_hash":
            return self.cache[fwd.ref_hash]
        if fwd.hash:
            self.cache[fwd.hash] = fwd
        return fwd

    def _keep_cookie(self, element: tuple) -> None:
        """The session cookie the sign-in writes through a script (see ui/cookie.py)."""
        kind, proto = element
        if kind == "html":
            found = COOKIE_RE.search(proto.body)
            if found:
                self.cookie = found.group(1)


class LoadTab(ProtocolTab):
    """ProtocolTab as a load-check session drives it (bench/load_session.py's Tab): each
    method clicks as a person would and returns once the run is over and the title drawn."""

    def __init__(self, base: str, forwarded_for: Optional[str]):
        super().__init__(base, {"X-Forwarded-For": forwarded_for} if forwarded_for else {})
        self.drawn = Drawn()

    def _check(self, drawn: Drawn) -> Drawn:
        shown = drawn.exception()
        if shown:
            raise ShownException(shown)
        if not drawn.title:
            raise LookupError("the run drew no title")
        self.drawn = drawn
        return drawn

    async def sign_in(self, username: str, password: str) -> float:
        form = self._check(await self.open())
        started = time.perf_counter()
        drawn = await self.rerun(text_value(form.widget("text_input", "Username"), username),
                                 text_value(form.widget("text_input", "Password"), password),
                                 pressed(form.widget("button", "Sign in")))
        seconds = time.perf_counter() - started
        if self._check(drawn).title != OVERVIEW or not self.cookie:
            raise Refused(" ".join(drawn.errors()) or f"signing in led to {drawn.title!r}")
        return seconds

    async def menu(self, title: str) -> float:
        started = time.perf_counter()
        drawn = self._check(await self.go(MENU[title]))
        seconds = time.perf_counter() - started
        if drawn.title != title:
            raise LookupError(f"the menu's {title!r} drew {drawn.title!r}")
        return seconds

    async def open_item(self, table: str, pick: Callable[[int], int]) -> tuple[float, int]:
        """One click on a row (the ten or so a screen shows of the list; `pick` says which)."""
        frame = self.drawn.keyed("dataframe", table)
        row = pick(max(1, min(row_count(frame), 10)))
        started = time.perf_counter()
        self._check(await self.rerun(row_picked(frame, row)))
        if not self.query.startswith("id="):
            raise LookupError(f"a click on row {row} did not open an item (address ?{self.query})")
        return time.perf_counter() - started, int(self.query[3:].split("&")[0])

    async def item_state(self) -> tuple[str, int]:
        return self.drawn.widget("metric", "Status").body, int(self.drawn.widget("number_input", "Progress (%)").default)

    async def save(self, note: str, progress: Optional[int]) -> tuple[float, bool]:
        form = self.drawn
        values = [text_value(form.widget("text_area", NOTE_LABEL), note), pressed(form.widget("button", "Save update"))]
        if progress is not None:
            values.append(int_value(form.widget("number_input", "Progress (%)"), progress))
        started = time.perf_counter()
        drawn = self._check(await self.rerun(*values))
        seconds = time.perf_counter() - started
        if any(t.body == "Update saved." for t in drawn.of("toast")):
            return seconds, True
        if any(b.label == STALE_BUTTON for b in drawn.of("button")):
            return seconds, False
        raise Refused(" ".join(drawn.errors()) or "the save showed neither a confirmation nor a refusal")

    async def reload(self) -> None:
        self._check(await self.open())
