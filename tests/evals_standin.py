"""A scripted stand-in for the Messages API on loopback, so that `claude plugin eval` runs whole
cases offline and its graders judge real traces.

The main conversation (the request that offers the Skill tool) gets the scripted tool calls one
per turn, then a text reply; side requests (titles, summaries) get text. `{cwd}` in a call's
input is replaced by the run's working directory, read from the request's environment block, and
`{file:NAME}` by the first line of that file in it (a credential the scaffold made).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CWD = re.compile(r"Primary working directory: (\S+)")


def _events(blocks: list[dict], stop: str, turn: int) -> bytes:
    out = [("message_start", {"type": "message_start", "message": {
        "id": f"msg_standin_{turn}", "type": "message", "role": "assistant", "model": "standin",
        "content": [], "stop_reason": None, "stop_sequence": None,
        "usage": {"input_tokens": 1, "output_tokens": 1}}})]
    for index, block in enumerate(blocks):
        if block["type"] == "tool_use":
            start = {"type": "tool_use", "id": f"toolu_{turn}_{index}", "name": block["name"],
                     "input": {}}
            delta = {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}
        else:
            start = {"type": "text", "text": ""}
            delta = {"type": "text_delta", "text": block["text"]}
        out += [("content_block_start", {"type": "content_block_start", "index": index,
                                         "content_block": start}),
                ("content_block_delta", {"type": "content_block_delta", "index": index,
                                         "delta": delta}),
                ("content_block_stop", {"type": "content_block_stop", "index": index})]
    out += [("message_delta", {"type": "message_delta", "usage": {"output_tokens": 1},
                               "delta": {"stop_reason": stop, "stop_sequence": None}}),
            ("message_stop", {"type": "message_stop"})]
    return b"".join(f"event: {e}\ndata: {json.dumps(d)}\n\n".encode() for e, d in out)


def _fill(value: object, cwd: str) -> object:
    if isinstance(value, dict):
        return {k: _fill(v, cwd) for k, v in value.items()}
    if isinstance(value, str):
        value = value.replace("{cwd}", cwd)
        return re.sub(r"\{file:([^}]+)\}", lambda m: (Path(cwd) / m.group(1)).read_text()
                      .splitlines()[0].split("=", 1)[-1], value)
    return value


@contextmanager
def standin(calls: list[tuple[str, dict]], reply: str = "Done.") -> Iterator[str]:
    """Serve until the block ends; yields the base URL for ANTHROPIC_BASE_URL."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
            if "count_tokens" in self.path:
                payload = json.dumps({"input_tokens": 1}).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
            messages = body.get("messages", [])
            done = sum(1 for m in messages if isinstance(m.get("content"), list)
                       for c in m["content"] if c.get("type") == "tool_result")
            main = any(t.get("name") == "Skill" for t in body.get("tools", []))
            found = CWD.search(json.dumps(body).replace("\\n", "\n"))
            if main and done < len(calls) and found:
                name, tool_input = calls[done]
                blocks = [{"type": "tool_use", "name": name,
                           "input": _fill(tool_input, found.group(1))}]
                stop = "tool_use"
            else:
                blocks, stop = [{"type": "text", "text": reply}], "end_turn"
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.end_headers()
            self.wfile.write(_events(blocks, stop, done))

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
