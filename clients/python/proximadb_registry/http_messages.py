"""The pieces of an HTTP exchange with the registry that are not about sending it: base URLs, query
strings, JSON bodies, the registry's error envelope, ``Retry-After``, and how failures are worded."""

import json
import time
from email.utils import parsedate_to_datetime
from typing import Any, Mapping, NamedTuple, Optional, Tuple
from urllib.parse import quote, unquote, urlencode, urlsplit

from .auth import BasicAuth
from .errors import RegistryError, make_error


class BaseUrl(NamedTuple):
    url: str  # as shown in messages, without credentials
    scheme: str
    host: str
    port: Optional[int]
    prefix: str  # path prefix, no trailing slash



def parse_base(raw: str) -> Tuple[BaseUrl, Optional[BasicAuth]]:
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"registry URL must be http(s)://host[:port][/path], got {raw!r}")
    credentials = None
    if parts.username:
        credentials = BasicAuth(unquote(parts.username), unquote(parts.password or ""))
    host = parts.hostname
    port = parts.port
    shown_host = f"[{host}]" if ":" in host else host
    shown = f"{parts.scheme}://{shown_host}" + (f":{port}" if port else "") + parts.path.rstrip("/")
    return BaseUrl(shown, parts.scheme, host, port, parts.path.rstrip("/")), credentials


def query_string(query: Optional[Mapping[str, Any]]) -> str:
    if not query:
        return ""
    pairs = []
    for key, value in query.items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        pairs.append((key, str(value)))
    return "?" + urlencode(pairs) if pairs else ""


def parse_json(text: str) -> Tuple[Any, bool]:
    if text == "":
        return None, False
    try:
        return json.loads(text), True
    except ValueError:
        return None, False


def error_from_body(
    body: Any, text: str, status: int, method: str, path: str, url: str
) -> RegistryError:
    if isinstance(body, dict) and isinstance(body.get("error_code"), int) and not isinstance(body["error_code"], bool):
        details = {k: v for k, v in body.items() if k not in ("error_code", "message")}
        message = body.get("message")
        return make_error(
            message if isinstance(message, str) else f"HTTP {status}",
            status=status,
            error_code=body["error_code"],
            method=method,
            path=path,
            url=url,
            details=details,
        )
    suffix = "" if text.strip() == "" else f": {snippet(text)}"
    return make_error(
        f"HTTP {status} from {method} {path}{suffix}",
        status=status,
        error_code=status,
        method=method,
        path=path,
        url=url,
    )


def retry_after(header: Optional[str]) -> Optional[float]:
    """Seconds, or an HTTP date (RFC 9110 section 10.2.3)."""
    if header is None:
        return None
    try:
        seconds = float(header)
        if seconds >= 0 and seconds != float("inf"):
            return seconds
        return None
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def describe_failure(cause: BaseException) -> str:
    name = type(cause).__name__
    text = str(cause)
    return f"{name}: {text}" if text else name


def snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat[:200] + "\u2026" if len(flat) > 200 else flat


def quote_segment(value: Any) -> str:
    """``encodeURIComponent``: a path segment with everything but unreserved characters escaped."""
    return quote(str(value), safe="-_.!~*'()")
