"""How the registry (JavaScript) sees and prints a JSON value, so that messages match it exactly.

The registry parses a datum with ``JSON.parse``: every number is an IEEE double, object keys that look
like array indices come first in ascending order, and messages print numbers with JavaScript's
``Number.prototype.toString`` and strings with ``JSON.stringify``. Python keeps integers exact and keys
in insertion order, so the validator goes through these helpers wherever the difference could show.
"""

import math
import numbers
from decimal import Decimal
from typing import Any, List, Mapping, Optional, Union

_MAX_INDEX = 2**32 - 2


def is_number(value: Any) -> bool:
    """A JSON number: int or float (or any numbers.Real such as numpy's), never a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def to_double(value: Any) -> float:
    """The double JavaScript would hold: integers beyond the float range become +-Infinity."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def js_number(value: Union[int, float]) -> str:
    """``String(n)`` in JavaScript (ECMA-262 Number::toString), for the double nearest ``value``."""
    x = to_double(value)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    # repr gives the shortest digits that round-trip, as ECMAScript requires; only the layout differs.
    _, digit_tuple, exp = Decimal(repr(abs(x))).as_tuple()
    all_digits = "".join(map(str, digit_tuple))
    n = len(all_digits) + int(exp)  # the value is 0.<digits> x 10^n
    digits = all_digits.lstrip("0")
    n -= len(all_digits) - len(digits)
    digits = digits.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        out = digits + "0" * (n - k)
    elif 0 < n <= 21:
        out = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        out = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        out = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("+" if e >= 0 else "-") + str(abs(e))
    return sign + out


def js_string(text: str) -> str:
    """``JSON.stringify(text)``: escapes quotes, backslashes, control characters and lone surrogates."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[ch])
        elif code < 0x20 or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


_SHORT_ESCAPES = {"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def utf16_prefix(text: str, units: int) -> Optional[str]:
    """The first ``units`` UTF-16 code units of ``text`` (JavaScript's ``slice``), or None if shorter."""
    if len(text) <= units // 2:
        return None  # fast path: even all-astral text is short enough
    encoded = text.encode("utf-16-le", "surrogatepass")
    if len(encoded) <= units * 2:
        return None
    return encoded[: units * 2].decode("utf-16-le", "surrogatepass")


def js_keys(mapping: Mapping[Any, Any]) -> List[Any]:
    """Keys in JavaScript's ``Object.keys`` order: array-index-like keys ascending, then the rest."""
    indices = []
    others = []
    for key in mapping:
        if isinstance(key, str) and _is_index(key):
            indices.append(key)
        else:
            others.append(key)
    if not indices:
        return others
    indices.sort(key=int)
    return indices + others


def _is_index(key: str) -> bool:
    if not key or not key.isdigit() or not key.isascii():
        return False
    if len(key) > 1 and key[0] == "0":
        return False
    return int(key) <= _MAX_INDEX


def describe(value: Any) -> str:
    """How a value is named in a message (the registry's ``describe``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        prefix = utf16_prefix(value, 40)
        return js_string(value if prefix is None else prefix + "\u2026")
    if is_number(value):
        return js_number(value)
    if isinstance(value, (list, tuple)):
        return f"an array ({len(value)} items)"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"bytes ({len(value)})"
    if isinstance(value, Mapping):
        return "an object"
    return f"a {type(value).__name__}"


def bucket(value: Any) -> str:
    """avsc's grouping of values by JavaScript shape (which union branch a value could belong to)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "buffer"
    if is_number(value):
        return "number"
    if isinstance(value, str):
        return "string"
    return "object"

