"""Structured output on any OpenAI-compatible server: the ladder of modes and the memory of what each server takes.

The ladder, best first:
- `json_schema`: the server enforces our JSON schema (OpenAI, vLLM, Ollama, llama.cpp's llama-server);
- `json_object`: a JSON object, with the schema riding along (llama-cpp-python turns it into a grammar);
- `prompt`: no response_format at all; the prompt describes the shape.
Whatever the rung, the answer is parsed and validated by the same pydantic model.
The rung a server accepted is remembered per base URL, in-process and in a small
JSON file in ECHO_DATA_DIR, so a restart does not pay for the detection again.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import re
import tempfile
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

log = logging.getLogger(__name__)

Mode = Literal["json_schema", "json_object", "prompt"]
LADDER: tuple[Mode, ...] = ("json_schema", "json_object", "prompt")
MEMORY_FILE = "llm-structured-output.json"
REPROBE_AFTER = timedelta(days=7)  # a server upgraded meanwhile gets the better rung back
OPENAI_DEFAULT_URL = "https://api.openai.com/v1"

M = TypeVar("M", bound=BaseModel)


_BOUNDS = ("maxItems",)  # outside the subset every strict server takes; fine in a grammar (json_object rung)


def strict_schema(model: type[BaseModel], *, bounded: bool = False) -> dict[str, Any]:
    """The model's JSON schema as strict servers want it: no $refs, every key required, no extra keys.

    `bounded` keeps the list bounds, for servers that compile the schema into a grammar.
    """
    raw = model.model_json_schema()
    defs = raw.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            return walk(copy.deepcopy(defs[node["$ref"].rsplit("/", 1)[-1]]))
        dropped = ("title", "default") if bounded else ("title", "default", *_BOUNDS)
        out = {key: walk(value) for key, value in node.items() if key not in dropped}
        if out.get("type") == "object" and "properties" in out:
            out["required"] = list(out["properties"])
            out["additionalProperties"] = False
        return out

    result: dict[str, Any] = walk(raw)
    return result


def response_format(mode: Mode, name: str, model: type[BaseModel]) -> dict[str, Any] | None:
    """The request's response_format for one rung (None: send none, the prompt carries the shape)."""
    if mode == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": name, "schema": strict_schema(model), "strict": True}}
    if mode == "json_object":
        return {"type": "json_object", "schema": strict_schema(model, bounded=True)}
    return None


def shape(model: type[BaseModel]) -> str:
    """A one-line skeleton of the JSON the model must write, for the prompt (every rung gets it)."""

    def render(node: dict[str, Any]) -> str:
        kind = node.get("type")
        if "enum" in node:
            return '"' + "|".join(str(v) for v in node["enum"]) + '"'
        if "const" in node:
            return json.dumps(node["const"])
        if kind == "object":
            return "{" + ", ".join(f'"{key}": {render(value)}' for key, value in node["properties"].items()) + "}"
        if kind == "array":
            return "[" + render(node.get("items", {})) + ", ...]"
        if kind in ("integer", "number"):
            return "<number" + (f" {node['description']}" if node.get("description") else "") + ">"
        return f'"<{node["description"]}>"' if node.get("description") else '"..."'

    return render(strict_schema(model))


_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL | re.IGNORECASE)


def parse(model: type[M], content: str) -> M:
    """Validate a model's text as `model`: the JSON object in it, tolerating code fences and chatter around it.

    Raises ValueError (json.JSONDecodeError or pydantic's ValidationError) when it does not fit.
    """
    text = content.strip()
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1)
    if not text.startswith("{"):
        start, end = text.find("{"), text.rfind("}")
        if start == -1 or end <= start:
            raise ValueError("the answer contains no JSON object")
        text = text[start:end + 1]
    # strict=False: a raw newline inside a string (grammar-constrained servers emit them) is not worth a failure.
    return model.model_validate(json.loads(text, strict=False))


def base_key(base_url: str | None) -> str:
    """One key per server: the base URL without trailing slashes (OpenAI's when unset)."""
    return (base_url or OPENAI_DEFAULT_URL).strip().rstrip("/")


class ModeMemory:
    """Which rung each server accepted: a dict in the process, mirrored to a JSON file that survives restarts."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._files: dict[Path, dict[str, dict[str, str]]] = {}

    def recall(self, data_dir: Path, base_url: str | None, *, now: datetime | None = None) -> Mode | None:
        with self._lock:
            entry = self._load(data_dir).get(base_key(base_url))
        if not entry or entry.get("mode") not in LADDER:
            return None
        try:
            detected = datetime.fromisoformat(entry["detectedAt"])
        except (KeyError, ValueError):
            return None
        if (now or datetime.now(UTC)) - detected > REPROBE_AFTER:
            return None
        mode: Mode = entry["mode"]  # type: ignore[assignment]  # checked against LADDER above
        return mode

    def remember(self, data_dir: Path, base_url: str | None, mode: Mode, *, now: datetime | None = None) -> None:
        key = base_key(base_url)
        with self._lock:
            if self._load(data_dir).get(key, {}).get("mode") == mode:
                return
            entries = self._read(data_dir / MEMORY_FILE)  # fresh: another process may have added a server
            entries[key] = {"mode": mode, "detectedAt": (now or datetime.now(UTC)).isoformat()}
            self._files[data_dir / MEMORY_FILE] = entries
            self._save(data_dir, entries)

    def _load(self, data_dir: Path) -> dict[str, dict[str, str]]:
        path = data_dir / MEMORY_FILE
        if path not in self._files:
            self._files[path] = self._read(path)
        return self._files[path]

    @staticmethod
    def _read(path: Path) -> dict[str, dict[str, str]]:
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # no file yet, or a damaged one: detect again
        return {k: v for k, v in loaded.items() if isinstance(v, dict)} if isinstance(loaded, dict) else {}

    def _save(self, data_dir: Path, entries: dict[str, dict[str, str]]) -> None:
        """Write atomically; a read-only data dir only costs a detection after the next restart."""
        path = data_dir / MEMORY_FILE
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", dir=data_dir, prefix=".llm-modes-", delete=False,
                                             encoding="utf-8") as handle:
                json.dump(entries, handle, indent=1, sort_keys=True)
            os.replace(handle.name, path)
        except OSError as error:
            log.warning("Could not save the structured-output modes to %s: %s", path, error)


MEMORY = ModeMemory()
