"""Reads the SDK corpus shared with the TypeScript tests (test/fixtures/sdk-corpus/, see its README)."""

import json
import re
from typing import Any, Dict, List

from proximadb_registry import PROXIMADB_CORE_SCHEMA, VECTOR_RECORD_SCHEMA, AutoGenerator, ManualClock

from .registry_process import CORPUS_DIR

KIND_PATTERNS = {
    "uuid": re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"),
    "ulid": re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$"),
    "now_micros": re.compile(r"^\d{16}$"),
    "now_millis": re.compile(r"^\d{13}$"),
}


def load(name: str) -> Dict[str, Any]:
    with open(CORPUS_DIR / name, encoding="utf-8") as f:
        return json.load(f)


def schema_text(corpus: Dict[str, Any], name: str) -> str:
    schema = corpus["schemas"][name]
    if schema == "@vector-record":
        return VECTOR_RECORD_SCHEMA
    if schema == "@proximadb-core":
        return PROXIMADB_CORE_SCHEMA
    return json.dumps(schema, separators=(",", ":"), ensure_ascii=False)


def generator(clock_ms: int, random_byte: int) -> AutoGenerator:
    return AutoGenerator(clock=ManualClock(clock_ms), random_bytes=lambda n: bytes([random_byte]) * n)


def expand(value: Any) -> Any:
    if isinstance(value, list):
        return [expand(v) for v in value]
    if not isinstance(value, dict):
        return value
    if list(value) == ["$repeat"]:
        item, count = value["$repeat"]
        return [expand(item) for _ in range(count)]
    if list(value) == ["$nest"]:
        key, depth, leaf = value["$nest"]
        out = expand(leaf)
        for _ in range(depth):
            out = {key: out}
        return out
    return {k: expand(v) for k, v in value.items()}


def as_json(value: Any) -> Any:
    """What a JSON API would carry (and what the corpus file holds)."""
    return json.loads(json.dumps(value))


def pointer_get(value: Any, pointer: str) -> Any:
    for raw in pointer.split("/")[1:]:
        key = raw.replace("~1", "/").replace("~0", "~")
        value = value[int(key)] if isinstance(value, list) else value[key]
    return value


def pointer_set(value: Any, pointer: str, new: Any) -> None:
    keys = [raw.replace("~1", "/").replace("~0", "~") for raw in pointer.split("/")[1:]]
    for key in keys[:-1]:
        value = value[int(key)] if isinstance(value, list) else value[key]
    last = keys[-1]
    if isinstance(value, list):
        value[int(last)] = new
    else:
        value[last] = new


def masked(value: Any, pointers: List[str]) -> Any:
    """A copy with the generated values replaced by a placeholder (they come from another clock)."""
    copy = as_json(value)
    for pointer in pointers:
        pointer_set(copy, pointer, "<generated>")
    return copy
