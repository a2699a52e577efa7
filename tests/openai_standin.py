"""A scripted OpenAI-compatible server on 127.0.0.1 for the provider tests (the real SDK talks to it).

Each request pops one scripted step: (status, body, headers), or ("sleep", seconds) to
make the client time out. Every request's path and JSON body are kept for assertions.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from echo_core.config import reload_settings

GOOD_BODY = ("Hi Sarah,\n\nGood news: Mission Loft is dog friendly. Parking is $250 per month per spot.\n\n"
             "Best,\nThe Tandem team")


def completion(content: str | None, *, refusal: str | None = None, tokens: int = 150,
               finish_reason: str = "stop") -> dict[str, Any]:
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": 1_700_000_000, "model": "gpt-4o-mini",
        "choices": [{"index": 0, "finish_reason": finish_reason, "logprobs": None,
                     "message": {"role": "assistant", "content": content, "refusal": refusal}}],
        "usage": {"prompt_tokens": tokens - 50, "completion_tokens": 50, "total_tokens": tokens},
    }


def reply_json(body: str = GOOD_BODY, confidence: Any = 90) -> str:
    return json.dumps({"body": body, "confidence": confidence, "reasoning": {
        "questionsAddressed": [{"question": "Is it dog friendly?", "answer": "Yes", "sourceText": "dog friendly?"}],
        "dataUsed": [{"dataPoint": "parking cost", "sourceType": "space", "sourceId": 0,
                      "fieldPath": "detailed_amenities.parking.costMonthly", "value": "250"}],
        "schedulingLogic": [], "needsHumanReview": [], "requirementMismatches": []}})


def critique_json(*issues: str) -> str:
    return json.dumps({"issues": list(issues)})


@dataclass
class FakeOpenAI:
    """Plays one scripted answer per request: (status, body, headers) or ("sleep", seconds)."""

    script: list[tuple[Any, ...]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""
    data_dir: Path = Path()

    def sent(self, index: int) -> dict[str, Any]:
        body: dict[str, Any] = self.requests[index]["json"]
        return body

    def formats(self) -> list[str | None]:
        """The response_format type of each request (None: no response_format sent)."""
        return [(r["json"].get("response_format") or {}).get("type") for r in self.requests]


@pytest.fixture
def fake_openai(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI(data_dir=tmp_path)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            length = int(self.headers.get("content-length", 0))
            fake.requests.append({"path": self.path, "json": json.loads(self.rfile.read(length) or b"{}")})
            step = fake.script.pop(0) if fake.script else (500, {"error": {"message": "script exhausted"}}, {})
            if step[0] == "sleep":
                time.sleep(step[1])
                step = (200, completion(reply_json()), {})
            status, body, headers = step
            payload = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            try:
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    monkeypatch.setenv("OPENAI_BASE_URL", fake.url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-local")
    monkeypatch.setenv("OPENAI_TIMEOUT", "4")  # generous: CI shares two cores with PostgreSQL
    monkeypatch.setenv("OPENAI_MAX_RETRIES", "1")
    monkeypatch.setenv("ECHO_SELF_CRITIQUE", "true")
    monkeypatch.setenv("ECHO_DATA_DIR", str(tmp_path))  # the remembered structured-output rungs go here
    reload_settings()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        monkeypatch.undo()
        reload_settings()
