"""What the datum validator asks of nodes and values (a port of src/avro/datum-values.ts): error
paths (JSON pointers), how values group by JavaScript shape (which union branch could hold them), the
wording of messages, and the checks of numbers and binary values as the registry's JSON.parse sees them.
"""

import sys
import threading
from typing import Any, List, Optional, Tuple

from .avro_schema import Field, Node
from .js_values import is_number, to_double

FLOAT_MAX = 3.4028234663852886e38
INT_MIN = -2147483648
INT_MAX = 2147483647
SAFE_MAX = 2**53 - 1

#: A JSON pointer under construction: the keys from the root (rendered only when an error is reported).
Path = Tuple[Any, ...]


# Each nesting level costs a few Python frames; deep (but allowed) data must not hit the interpreter's
# recursion limit. Raised while any deep validation runs, restored by the last one to finish.
_recursion_lock = threading.Lock()
_recursion_users = 0
_recursion_saved = 0


class deep_recursion:
    def __init__(self, max_depth: int) -> None:
        self.needed = 200 + 8 * max_depth

    def __enter__(self) -> None:
        global _recursion_users, _recursion_saved
        with _recursion_lock:
            if _recursion_users == 0:
                _recursion_saved = sys.getrecursionlimit()
            _recursion_users += 1
            current = sys.getrecursionlimit()
            wanted = _recursion_saved + self.needed
            if current < wanted:
                sys.setrecursionlimit(wanted)

    def __exit__(self, *exc: Any) -> None:
        global _recursion_users
        with _recursion_lock:
            _recursion_users -= 1
            if _recursion_users == 0:
                sys.setrecursionlimit(_recursion_saved)


def render(path: Path) -> str:
    return "".join("/" + str(key).replace("~", "~0").replace("/", "~1") for key in path)


def member_key(node: Node) -> str:
    """Java's ``Schema.getFullName()``: how a union names its branches."""
    if node.kind == "primitive":
        return node.type
    if node.kind in ("record", "enum", "fixed"):
        return node.full_name
    return node.kind


def node_bucket(node: Node) -> str:
    if node.kind == "primitive":
        if node.type in ("int", "long", "float", "double"):
            return "number"
        return "buffer" if node.type == "bytes" else node.type
    if node.kind == "fixed":
        return "buffer"
    if node.kind == "enum":
        return "string"
    if node.kind in ("record", "map"):
        return "object"
    return node.kind


def expected(node: Node) -> str:
    kind = node.kind
    if kind == "primitive":
        return node.type
    if kind in ("record", "enum"):
        return f"{kind} {node.full_name}"
    if kind == "fixed":
        return f"fixed {node.full_name} ({node.size} bytes)"
    if kind == "array":
        return "array"
    if kind == "map":
        return "map (object)"
    return "one of " + symbol_list([member_key(b) for b in node.branches])


def symbol_list(items: List[str]) -> str:
    return "[" + ", ".join(items) + "]"


def admits(node: Node, primitive: str) -> bool:
    if node.kind == "primitive":
        return node.type == primitive
    return node.kind == "union" and any(b.kind == "primitive" and b.type == primitive for b in node.branches)


def autogen_of(field: Field) -> Optional[str]:
    """The kind a field asks for: on the field itself, or on its type (or the type's non-null branch)."""
    own = field.props.get("proximadb.autogen")
    if isinstance(own, str):
        return own
    node = field.type
    if node.kind != "union":
        kind = node.props.get("proximadb.autogen")
        return kind if isinstance(kind, str) else None
    for branch in node.branches:
        if branch.kind != "union":
            kind = branch.props.get("proximadb.autogen")
            if isinstance(kind, str):
                return kind
    return None


def integer(value: Any) -> Optional[float]:
    """The value as JavaScript's number when it is an integral one (``Number.isInteger``)."""
    if not is_number(value):
        return None
    x = to_double(value)
    if x != x or x in (float("inf"), float("-inf")) or x != int(x):
        return None
    return x


def _all_floats(items: Any) -> bool:
    return all((type(x) is float or type(x) is int) and -FLOAT_MAX <= x <= FLOAT_MAX for x in items)


def _all_doubles(items: Any) -> bool:
    return all(type(x) is float or type(x) is int for x in items)


def _all_ints(items: Any) -> bool:
    return all(type(x) is int and INT_MIN <= x <= INT_MAX for x in items)


def _all_longs(items: Any) -> bool:
    return all(type(x) is int and -SAFE_MAX <= x <= SAFE_MAX for x in items)


def _all_strings(items: Any) -> bool:
    return all(type(x) is str for x in items)


# Arrays of primitives whose items all pass these checks are valid and come out unchanged; the checks
# accept a subset of what the item-by-item walk accepts (anything else takes that walk), so results and
# messages are the same, only faster.
PLAIN_ITEMS = {
    "float": _all_floats,
    "double": _all_doubles,
    "int": _all_ints,
    "long": _all_longs,
    "string": _all_strings,
}


def plain_number(value: Any) -> Any:
    """ints and floats as given; other numbers (numpy's, Decimal-like) as a float, ready for JSON."""
    return value if type(value) in (int, float) else to_double(value)


def as_bytes(value: Any) -> Optional[bytes]:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        try:
            return value.encode("latin-1")
        except UnicodeEncodeError:
            return None
    return None


def copy_json(value: Any) -> Any:
    """A fresh copy of a schema default, so completed records never share (and mutate) it."""
    if isinstance(value, dict):
        return {k: copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_json(v) for v in value]
    return value
