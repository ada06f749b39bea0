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

import http.client
import json
import random
import socket
import ssl
import threading
import time
from typing import Any, Callable, Dict, List, Mapping, NamedTuple, Optional, Sequence, Union

from .auth import Auth, BasicAuth, auth_header
from .cancellation import Cancellation, RequestCancelledError
from .errors import ERROR_TABLE, REGISTRY_UNREACHABLE_CODE, RegistryError, make_error
from .http_messages import (
    BaseUrl,
    describe_failure,
    error_from_body,
    parse_base,
    parse_json,
    query_string,
    quote_segment,
    retry_after,
    snippet,
)

__all__ = ["HttpTransport", "RetryPolicy"]

USER_AGENT = "proximadb-registry-python/0.1.0"
CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"
ACCEPT = "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json"
RETRY_ALWAYS = (429, 503)
RETRY_IDEMPOTENT = (408, 500, 502, 504)
_NO_BODY = object()


class RetryPolicy(NamedTuple):
    #: Retries after the first attempt (rounds over every URL count as one).
    max_retries: int = 3
    #: First backoff step in seconds; each retry doubles it, with full jitter.
    base_delay: float = 0.05
    #: Cap of one backoff step in seconds.
    max_delay: float = 2.0
    #: Total seconds a request may spend across attempts; no retry starts past it.
    budget: float = 15.0


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
        self.bases: List[BaseUrl] = []
        url_auth: Optional[BasicAuth] = None
        for raw in url_list:
            base, credentials = parse_base(raw)
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
        target = path + query_string(query)
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
        base: BaseUrl,
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
            reason = f"timed out after {timeout:g} s" if timed_out else describe_failure(cause)
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

    def _cancelled(self, base: BaseUrl, method: str, path: str) -> _Outcome:
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
        self, base: BaseUrl, method: str, path: str, status: int, data: bytes, retry_after_header: Optional[str]
    ) -> _Outcome:
        text = data.decode("utf-8", errors="replace")
        parsed, ok = parse_json(text)
        if 200 <= status < 300:
            if ok or text == "":
                return _Outcome(True, value=parsed if ok else None)
            error = make_error(
                f"registry answered {method} {path} with a body that is not JSON: {snippet(text)}",
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
            error=error_from_body(parsed if ok else None, text, status, method, path, base.url),
            retryable=retryable,
            failover=status == 503,
            retry_after=retry_after(retry_after_header),
        )


def _with_attempts(error: RegistryError, attempts: int) -> RegistryError:
    error.attempts = attempts
    return error


