"""HTTP to the registry with nothing but the standard library: JSON bodies, the registry's error
envelope, retries with backoff under a time budget (as the TypeScript SDK's http-transport.ts), and
fail-over across several base URLs.

Retries. Failures that prove the server did not act (no connection could be made, 429, 503) are
retried for every request; dropped connections, timeouts, 408, 500, 502 and 504 only for idempotent
requests (GET, PUT, and the POSTs that answer the same when repeated). Backoff is exponential with
full jitter (``base_delay * 2^n`` capped at ``max_delay``), at least the server's ``Retry-After``; no
retry starts once ``budget`` would be exceeded.

Fail-over. With several base URLs, a request that cannot connect to one, loses its connection to one
(idempotent requests only) or is answered 503 moves at once to the next URL without waiting; only
when every URL has failed in a round does it back off, which counts as one retry. The last URL that
answered is tried first by the next request, so a dead node costs one refused connection, not one per
request.
"""

import base64
import http.client
import json
import random
import socket
import ssl
import threading
import time
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Union
from urllib.parse import quote, unquote, urlencode, urlsplit

from .errors import ERROR_TABLE, REGISTRY_UNREACHABLE_CODE, RegistryError, make_error

__all__ = ["BasicAuth", "BearerAuth", "Cancellation", "HttpTransport", "RequestCancelledError", "RetryPolicy"]

USER_AGENT = "proximadb-registry-python/0.1.0"
CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"
ACCEPT = "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json"
RETRY_ALWAYS = (429, 503)
RETRY_IDEMPOTENT = (408, 500, 502, 504)
_NO_BODY = object()


class BasicAuth(NamedTuple):
    username: str
    password: str

    def header(self) -> str:
        token = base64.b64encode(f"{self.username}:{self.password}".encode("utf-8")).decode("ascii")
        return f"Basic {token}"


class BearerAuth(NamedTuple):
    token: str

    def header(self) -> str:
        return f"Bearer {self.token}"


Auth = Union[BasicAuth, BearerAuth, Tuple[str, str], Mapping[str, str], None]


def auth_header(auth: Auth) -> Optional[str]:
    """Basic from ``BasicAuth``, a ``(username, password)`` tuple or ``{"username", "password"}``;
    bearer from ``BearerAuth`` or ``{"token"}``."""
    if auth is None:
        return None
    if isinstance(auth, (BasicAuth, BearerAuth)):
        return auth.header()
    if isinstance(auth, tuple) and len(auth) == 2:
        return BasicAuth(str(auth[0]), str(auth[1])).header()
    if isinstance(auth, Mapping):
        if "token" in auth:
            return BearerAuth(str(auth["token"])).header()
        if "username" in auth:
            return BasicAuth(str(auth["username"]), str(auth.get("password", ""))).header()
    raise TypeError("auth must be BasicAuth, BearerAuth, a (username, password) tuple or a dict")


class RetryPolicy(NamedTuple):
    #: Retries after the first attempt (rounds over every URL count as one).
    max_retries: int = 3
    #: First backoff step in seconds; each retry doubles it, with full jitter.
    base_delay: float = 0.05
    #: Cap of one backoff step in seconds.
    max_delay: float = 2.0
    #: Total seconds a request may spend across attempts; no retry starts past it.
    budget: float = 15.0


class RequestCancelledError(RegistryError):
    """The request was cancelled from another thread (``Cancellation.cancel``)."""


class Cancellation:
    """Lets another thread abort a request in flight (e.g. a long-poll on ``Participant.stop``):
    ``cancel()`` closes its socket, so the blocked read returns at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._event = threading.Event()
        self._sockets: List[socket.socket] = []

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self) -> None:
        with self._lock:
            self._event.set()
            for sock in self._sockets:
                _shutdown(sock)

    def wait(self, seconds: float) -> bool:
        return self._event.wait(seconds)

    def _attach(self, sock: socket.socket) -> bool:
        with self._lock:
            if self._event.is_set():
                return False
            self._sockets.append(sock)
            return True

    def _detach(self, sock: socket.socket) -> None:
        with self._lock:
            if sock in self._sockets:
                self._sockets.remove(sock)


def _shutdown(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class _Base(NamedTuple):
    url: str  # as shown in messages, without credentials
    scheme: str
    host: str
    port: Optional[int]
    prefix: str  # path prefix, no trailing slash


class _Outcome(NamedTuple):
    ok: bool
    value: Any = None
    error: Optional[RegistryError] = None
    #: 'always', 'idempotent' or 'never'
    retryable: str = "never"
    #: whether another base URL may do better (unreachable, or 503)
    failover: bool = False
    retry_after: Optional[float] = None


class HttpTransport:
    def __init__(
        self,
        urls: Union[str, Sequence[str]],
        *,
        auth: Auth = None,
        timeout: float = 10.0,
        retry: Optional[RetryPolicy] = None,
        headers: Optional[Mapping[str, str]] = None,
        ssl_context: Optional[ssl.SSLContext] = None,
        sleep: Callable[[float], None] = time.sleep,
        random_fn: Callable[[], float] = random.random,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        url_list = [urls] if isinstance(urls, str) else list(urls)
        if not url_list:
            raise ValueError("at least one registry URL is needed")
        self.bases: List[_Base] = []
        url_auth: Optional[BasicAuth] = None
        for raw in url_list:
            base, credentials = _parse_base(raw)
            self.bases.append(base)
            if credentials is not None and url_auth is None:
                url_auth = credentials
        self.headers: Dict[str, str] = {"Accept": ACCEPT, "User-Agent": USER_AGENT}
        self.headers.update(headers or {})
        authorization = auth_header(auth if auth is not None else url_auth)
        if authorization is not None:
            self.headers["Authorization"] = authorization
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.timeout = float(timeout)
        self.retry = retry or RetryPolicy()
        self.ssl_context = ssl_context
        self._sleep = sleep
        self._random = random_fn
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._preferred = 0

    @property
    def urls(self) -> List[str]:
        return [b.url for b in self.bases]

    @property
    def current_url(self) -> str:
        """The base URL the next request tries first (the last one that answered)."""
        with self._lock:
            return self.bases[self._preferred].url

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = _NO_BODY,
        query: Optional[Mapping[str, Any]] = None,
        idempotent: Optional[bool] = None,
        timeout: Optional[float] = None,
        cancel: Optional[Cancellation] = None,
    ) -> Any:
        """Sends one request (with retries and fail-over) and returns the decoded JSON answer."""
        if idempotent is None:
            idempotent = method in ("GET", "PUT")
        target = path + _query_string(query)
        payload = None
        headers = dict(self.headers)
        if body is not _NO_BODY:
            try:
                payload = json.dumps(body, allow_nan=False, separators=(",", ":")).encode("utf-8")
            except ValueError as e:
                raise ValueError(f"request body is not representable in JSON: {e}") from None
            headers["Content-Type"] = CONTENT_TYPE
        attempt_timeout = self.timeout if timeout is None else timeout
        started = self._monotonic()
        order = self._order()
        position = 0
        attempts = 0
        retries = 0
        while True:
            index = order[position]
            attempts += 1
            outcome = self._attempt(self.bases[index], method, path, target, payload, headers, attempt_timeout, cancel)
            if outcome.ok or not outcome.failover:
                self._prefer(index)  # it answered: alive
            if outcome.ok:
                return outcome.value
            error = outcome.error
            assert error is not None
            may_retry = outcome.retryable == "always" or (outcome.retryable == "idempotent" and idempotent)
            if not may_retry or (cancel is not None and cancel.cancelled):
                raise _with_attempts(error, attempts)
            elapsed = self._monotonic() - started
            if outcome.failover and position + 1 < len(order):
                if elapsed > self.retry.budget:
                    raise _with_attempts(error, attempts)
                position += 1  # the next node may be up while this one is not: no wait
                continue
            retries += 1
            if retries > self.retry.max_retries:
                raise _with_attempts(error, attempts)
            step = min(self.retry.max_delay, self.retry.base_delay * 2 ** (retries - 1))
            delay = max(self._random() * step, outcome.retry_after or 0.0)
            if elapsed + delay > self.retry.budget:
                raise _with_attempts(error, attempts)
            if cancel is not None:
                if cancel.wait(delay):
                    raise _with_attempts(error, attempts)
            else:
                self._sleep(delay)
            order = self._order()
            position = 0

    def _order(self) -> List[int]:
        with self._lock:
            first = self._preferred
        n = len(self.bases)
        return [(first + i) % n for i in range(n)]

    def _prefer(self, index: int) -> None:
        with self._lock:
            self._preferred = index

    def _attempt(
        self,
        base: _Base,
        method: str,
        path: str,
        target: str,
        payload: Optional[bytes],
        headers: Dict[str, str],
        timeout: float,
        cancel: Optional[Cancellation],
    ) -> _Outcome:
        deadline = self._monotonic() + timeout
        if base.scheme == "https":
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                base.host, base.port, timeout=timeout, context=self.ssl_context
            )
        else:
            conn = http.client.HTTPConnection(base.host, base.port, timeout=timeout)
        connected = False
        sock: Optional[socket.socket] = None
        try:
            if cancel is not None and cancel.cancelled:
                return self._cancelled(base, method, path)
            conn.connect()
            connected = True
            sock = conn.sock
            if cancel is not None and sock is not None and not cancel._attach(sock):
                return self._cancelled(base, method, path)
            self._remaining(conn, deadline)
            conn.request(method, base.prefix + target, body=payload, headers=headers)
            self._remaining(conn, deadline)
            response = conn.getresponse()
            self._remaining(conn, deadline)
            data = response.read()
            status = response.status
            retry_after_header = response.getheader("Retry-After")
        except (OSError, http.client.HTTPException) as cause:
            if cancel is not None and cancel.cancelled:
                return self._cancelled(base, method, path)
            timed_out = isinstance(cause, socket.timeout)
            reason = f"timed out after {timeout:g} s" if timed_out else _describe(cause)
            error = make_error(
                f"registry {base.url} unreachable ({method} {path}): {reason}",
                status=None,
                error_code=REGISTRY_UNREACHABLE_CODE,
                method=method,
                path=path,
                url=base.url,
            )
            error.__cause__ = cause
            # Before the connection was made the server cannot have acted: safe to repeat anything.
            return _Outcome(False, error=error, retryable="idempotent" if connected else "always", failover=True)
        finally:
            if cancel is not None and sock is not None:
                cancel._detach(sock)
            conn.close()
        return self._answer(base, method, path, status, data, retry_after_header)

    def _remaining(self, conn: http.client.HTTPConnection, deadline: float) -> None:
        """The timeout covers the whole attempt, not each socket operation."""
        left = deadline - self._monotonic()
        if left <= 0:
            raise socket.timeout("timed out")
        if conn.sock is not None:
            conn.sock.settimeout(left)

    def _cancelled(self, base: _Base, method: str, path: str) -> _Outcome:
        error = RequestCancelledError(
            f"request cancelled ({method} {path})",
            status=None,
            error_code=REGISTRY_UNREACHABLE_CODE,
            method=method,
            path=path,
            url=base.url,
        )
        return _Outcome(False, error=error, retryable="never")

    def _answer(
        self, base: _Base, method: str, path: str, status: int, data: bytes, retry_after_header: Optional[str]
    ) -> _Outcome:
        text = data.decode("utf-8", errors="replace")
        parsed, ok = _parse_json(text)
        if 200 <= status < 300:
            if ok or text == "":
                return _Outcome(True, value=parsed if ok else None)
            error = make_error(
                f"registry answered {method} {path} with a body that is not JSON: {_snippet(text)}",
                status=status,
                error_code=ERROR_TABLE["INTERNAL"][1],
                method=method,
                path=path,
                url=base.url,
            )
            return _Outcome(False, error=error)
        retryable = "always" if status in RETRY_ALWAYS else "idempotent" if status in RETRY_IDEMPOTENT else "never"
        return _Outcome(
            False,
            error=_error_from_body(parsed if ok else None, text, status, method, path, base.url),
            retryable=retryable,
            failover=status == 503,
            retry_after=_retry_after(retry_after_header),
        )


def _parse_base(raw: str) -> Tuple[_Base, Optional[BasicAuth]]:
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
    return _Base(shown, parts.scheme, host, port, parts.path.rstrip("/")), credentials


def _query_string(query: Optional[Mapping[str, Any]]) -> str:
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


def _parse_json(text: str) -> Tuple[Any, bool]:
    if text == "":
        return None, False
    try:
        return json.loads(text), True
    except ValueError:
        return None, False


def _error_from_body(body: Any, text: str, status: int, method: str, path: str, url: str) -> RegistryError:
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
    suffix = "" if text.strip() == "" else f": {_snippet(text)}"
    return make_error(
        f"HTTP {status} from {method} {path}{suffix}",
        status=status,
        error_code=status,
        method=method,
        path=path,
        url=url,
    )


def _retry_after(header: Optional[str]) -> Optional[float]:
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


def _with_attempts(error: RegistryError, attempts: int) -> RegistryError:
    error.attempts = attempts
    return error


def _describe(cause: BaseException) -> str:
    name = type(cause).__name__
    text = str(cause)
    return f"{name}: {text}" if text else name


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat[:200] + "\u2026" if len(flat) > 200 else flat


def quote_segment(value: Any) -> str:
    """``encodeURIComponent``: a path segment with everything but unreserved characters escaped."""
    return quote(str(value), safe="-_.!~*'()")
