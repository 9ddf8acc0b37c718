"""A scripted stand-in for the model API on loopback, for whole client sessions: Claude Code's
Messages API (`claude -p`) and OpenAI's Responses API (`codex exec`).

The client POSTs /v1/messages (streaming) and may POST /v1/messages/count_tokens. A request that
offers the tool of the next scripted turn gets that turn (a tool call, as server-sent events);
every other request (titles, summaries, the turn after the script) gets a short text. Every
request body is kept, so a test can read what the model was shown.

Codex POSTs /v1/responses (streaming): a turn {"tool": "apply_patch", "input": "<patch>"} is a
`custom_tool_call` (apply_patch is a freeform tool), any other tool a `function_call` with the
input as JSON arguments; each as `response.output_item.done` between `response.created` and
`response.completed`.

Gemini CLI POSTs /v1beta/models/<model>:streamGenerateContent?alt=sse: a turn is a
`functionCall` part of the one candidate, as one server-sent event.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def _events(message_id: str, block: dict[str, Any], delta: dict[str, Any], stop: str) -> bytes:
    empty = {**block, "input": {}} if block["type"] == "tool_use" else {**block, "text": ""}
    events = [
        ("message_start", {"type": "message_start", "message": {
            "id": message_id, "type": "message", "role": "assistant", "model": "claude-stand-in",
            "content": [], "stop_reason": None, "stop_sequence": None,
            "usage": {"input_tokens": 10, "output_tokens": 1}}}),
        ("content_block_start", {"type": "content_block_start", "index": 0,
                                 "content_block": empty}),
        ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": delta}),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        ("message_delta", {"type": "message_delta", "delta": {"stop_reason": stop,
                                                             "stop_sequence": None},
                           "usage": {"output_tokens": 5}}),
        ("message_stop", {"type": "message_stop"}),
    ]
    return b"".join(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()
                    for name, data in events)


class StandIn:
    """Serve `turns` (each {"tool": name, "input": {...}}) in order, then text."""

    def __init__(self, turns: list[dict[str, Any]]) -> None:
        self.turns = list(turns)
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0)))
                                  or b"{}")
                if self.path.startswith("/v1/messages/count_tokens"):
                    return self._json({"input_tokens": 100})
                if self.path.startswith("/v1/responses"):
                    data = stand_in.respond(body)
                elif ":streamGenerateContent" in self.path:
                    data = stand_in.generate(body)
                elif not self.path.startswith("/v1/messages"):
                    return self._json({}, 404)
                else:
                    data = stand_in.answer(body)
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _json(self, value: Any, status: int = 200) -> None:
                data = json.dumps(value).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, body: dict[str, Any]) -> bytes:
        with self.lock:
            number = len(self.requests)
            self.requests.append(body)
            offered = {tool.get("name") for tool in body.get("tools") or []}
            if self.turns and self.turns[0]["tool"] in offered:
                turn = self.turns.pop(0)
                block = {"type": "tool_use", "id": f"toolu_{number:04d}", "name": turn["tool"]}
                delta = {"type": "input_json_delta", "partial_json": json.dumps(turn["input"])}
                return _events(f"msg_{number}", block, delta, "tool_use")
        return _events(f"msg_{number}", {"type": "text"}, {"type": "text_delta", "text": "Done."},
                       "end_turn")

    def respond(self, body: dict[str, Any]) -> bytes:
        """A Responses API turn: the next scripted tool call when it is offered, else text."""
        with self.lock:
            number = len(self.requests)
            self.requests.append(body)
            offered = {tool.get("name") for tool in body.get("tools") or []}
            item: dict[str, Any] = {"type": "message", "role": "assistant", "id": f"m{number}",
                                    "content": [{"type": "output_text", "text": "Done."}]}
            if self.turns and self.turns[0]["tool"] in offered:
                turn = self.turns.pop(0)
                call = {"id": f"c{number}", "call_id": f"call_{number}", "name": turn["tool"]}
                item = ({**call, "type": "custom_tool_call", "input": turn["input"]}
                        if isinstance(turn["input"], str) else
                        {**call, "type": "function_call", "arguments": json.dumps(turn["input"])})
        usage = {"input_tokens": 10, "output_tokens": 5, "total_tokens": 15}
        events = [{"type": "response.created", "response": {"id": f"r{number}"}},
                  {"type": "response.output_item.done", "output_index": 0, "item": item},
                  {"type": "response.completed", "response": {
                      "id": f"r{number}", "status": "completed", "output": [item],
                      "usage": usage}}]
        return b"".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n".encode()
                        for e in events)

    def generate(self, body: dict[str, Any]) -> bytes:
        """A Gemini API turn (streamed): the next scripted function call when offered."""
        with self.lock:
            self.requests.append(body)
            offered = {f.get("name") for tool in body.get("tools") or []
                       for f in tool.get("functionDeclarations") or []}
            part: dict[str, Any] = {"text": "Done."}
            if self.turns and self.turns[0]["tool"] in offered:
                turn = self.turns.pop(0)
                part = {"functionCall": {"name": turn["tool"], "args": turn["input"]}}
        chunk = {"candidates": [{"content": {"role": "model", "parts": [part]},
                                 "finishReason": "STOP", "index": 0}],
                 "usageMetadata": {"promptTokenCount": 10, "candidatesTokenCount": 5,
                                   "totalTokenCount": 15}}
        return f"data: {json.dumps(chunk)}\n\n".encode()

    def main_requests(self) -> list[dict[str, Any]]:
        """The requests of the conversation itself (they offer tools)."""
        return [body for body in self.requests if body.get("tools")]

    def __enter__(self) -> StandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
