"""A minimal Streamlit client speaking the browser's websocket protocol, for load and memory tests.

What the browser does, and this client repeats (Streamlit 1.67, `streamlit.proto`):
- It opens `ws://HOST/_stcore/stream` with the subprotocol list `["streamlit"]`. The server
  repurposes further entries (an XSRF token, a session id to resume); a new session needs neither.
- Every message is binary protobuf: BackMsg from client to server, ForwardMsg back.
- A run is asked for with `BackMsg.rerun_script` (a ClientState): the URL query string, the
  widget values, and which page. On first load the browser knows only the URL path, so it sends
  `page_name` (the path, e.g. "ngos") and an empty `page_script_hash`; later reruns send the hash
  of the page the server reported (`ForwardMsg.navigation.page_script_hash`).
- The server answers with deltas (elements and blocks), `page_info_changed` when the script
  writes `st.query_params`, and ends each run with `script_finished`.
- A widget change is a rerun whose `widget_states` carries the widget's id and new value. Ids are
  `$$ID-<hash>-<key>` for keyed widgets, so the client learns them from the widget elements in the
  deltas; selectbox and multiselect values travel as the formatted option labels.

The browser sends the values of all its widgets with each rerun; this client sends only the widget
it changes. The server keeps every other widget's last value in its session state, so the script
sees the same values either way and the rerun runs the same code.

`cached_message_hashes` stays empty: the client caches nothing, so the server always sends full
messages, as it does to a browser that has not seen them before.
"""

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

STREAM_PATH = "/_stcore/stream"
SUBPROTOCOL = "streamlit"
# Largest ForwardMsg accepted: a page with maps carries the region boundaries in each figure.
MAX_MESSAGE_BYTES = 64 * 1024 * 1024
WIDGET_TYPES = ("multiselect", "selectbox")
FINISHED_STATUSES = {
    ForwardMsg.FINISHED_SUCCESSFULLY: "ok",
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY: "ok",
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "compile error",
    ForwardMsg.FINISHED_EARLY_FOR_RERUN: "interrupted",
}


class ProtocolError(RuntimeError):
    """The server closed the connection, reported an error, or did not finish a run in time."""


@dataclass
class RunResult:
    seconds: float = 0.0
    exceptions: list[str] = field(default_factory=list)  # st.exception elements the run produced


@dataclass
class _Widget:
    id: str
    kind: str
    options: list[str]


class StreamlitSession:
    """One browser tab's worth of protocol: connect, run a page, change widgets, disconnect."""

    def __init__(self, base_url: str, page: str = "", query_string: str = ""):
        self.ws_url = base_url.replace("http://", "ws://", 1) + STREAM_PATH
        self.page = page  # URL path of the page, "" for the default page
        self.query_string = query_string
        self.page_script_hash = ""
        self.widgets: dict[str, _Widget] = {}  # by user key
        self._socket = None
        self._reader: asyncio.Task | None = None
        self._finished: asyncio.Future | None = None
        self._run: RunResult | None = None
        self._closed_reason: str | None = None

    async def connect(self) -> None:
        # Like the browser, the client offers permessage-deflate; the server takes it up only with
        # server.enableWebsocketCompression (off by default, as in this project's config).
        try:
            self._socket = await websockets.connect(self.ws_url, subprotocols=[SUBPROTOCOL],
                                                    max_size=MAX_MESSAGE_BYTES, open_timeout=30, ping_interval=None)
        except (OSError, TimeoutError, websockets.InvalidHandshake) as error:
            raise ProtocolError(f"cannot connect to {self.ws_url}: {error}") from error
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)

    async def run(self, widget_states: list | None = None, timeout: float = 60.0) -> RunResult:
        """Ask for a rerun (the first one opens the page) and wait for its script_finished."""
        if self._closed_reason is not None:
            raise ProtocolError(self._closed_reason)
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query_string
        if self.page_script_hash:
            state.page_script_hash = self.page_script_hash
        else:
            state.page_name = self.page
        for widget_state in widget_states or []:
            state.widget_states.widgets.append(widget_state)
        self._finished = asyncio.get_running_loop().create_future()
        self._run = RunResult()
        started = time.perf_counter()
        try:
            await self._socket.send(message.SerializeToString())
        except websockets.ConnectionClosed as closed:
            raise ProtocolError(f"connection closed: {closed}") from closed
        try:
            status = await asyncio.wait_for(self._finished, timeout)
        except TimeoutError:
            raise ProtocolError(f"no script_finished within {timeout:.0f} s") from None
        result, self._run = self._run, None
        result.seconds = time.perf_counter() - started
        if status != "ok":
            raise ProtocolError(f"run ended: {status}")
        return result

    async def select(self, key: str, labels: list[str] | str, timeout: float = 60.0) -> RunResult:
        """Set a multiselect (list of labels) or selectbox (one label), as a user's click does."""
        widget = self.widgets.get(key)
        if widget is None:
            raise ProtocolError(f"no widget with key {key!r} on this page; seen: {sorted(self.widgets)}")
        wanted = [labels] if isinstance(labels, str) else list(labels)
        unknown = [label for label in wanted if label not in widget.options]
        if unknown:
            raise ProtocolError(f"{key}: {unknown} not among its options")
        message = BackMsg()
        widget_state = message.rerun_script.widget_states.widgets.add()
        widget_state.id = widget.id
        if widget.kind == "multiselect":
            widget_state.string_array_value.data.extend(wanted)
        else:
            widget_state.string_value = wanted[0]
        return await self.run([widget_state], timeout)

    async def _read(self) -> None:
        try:
            async for frame in self._socket:
                self._handle(frame)
            self._closed_reason = "server closed the connection"
        except websockets.ConnectionClosed as closed:
            self._closed_reason = f"connection closed: {closed}"
        finally:
            if self._finished is not None and not self._finished.done():
                self._finished.set_exception(ProtocolError(self._closed_reason or "connection lost"))

    def _handle(self, frame: bytes) -> None:
        message = ForwardMsg()
        message.ParseFromString(frame)
        kind = message.WhichOneof("type")
        if kind == "delta":
            self._handle_delta(message.delta)
        elif kind == "navigation":
            self.page_script_hash = message.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = message.page_info_changed.query_string
        elif kind == "script_finished" and self._finished is not None and not self._finished.done():
            self._finished.set_result(FINISHED_STATUSES.get(message.script_finished, "unknown status"))

    def _handle_delta(self, delta) -> None:
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception" and self._run is not None:
            self._run.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif kind in WIDGET_TYPES:
            widget = getattr(element, kind)
            # A keyed widget's id ends with "-<key>" (streamlit.elements.lib.utils).
            key = widget.id.split("-", 2)[2] if widget.id.startswith("$$ID-") else widget.id
            self.widgets[key] = _Widget(widget.id, kind, list(widget.options))
