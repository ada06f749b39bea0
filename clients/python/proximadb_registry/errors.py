"""Typed exceptions for every failure the client surfaces.

The registry answers errors as ``{"error_code": N, "message": "..."}``. Each exception carries that
``error_code``, the message, the HTTP status (``None`` when no answer arrived) and ``code``, the stable
name from the registry's own error table (``src/errors.ts``), so callers can switch on names rather
than numbers. The class says what kind of failure it is (not found, conflict, bad request, ...).
"""

from typing import Any, Dict, Optional, Tuple

# Mirror of src/errors.ts (name -> (HTTP status, error_code)); a test compares the two tables.
ERROR_TABLE: Dict[str, Tuple[int, int]] = {
    "BAD_REQUEST": (400, 400),
    "MALFORMED_JSON": (400, 400),
    "UNAUTHORIZED": (401, 401),
    "FORBIDDEN": (403, 403),
    "ROUTE_NOT_FOUND": (404, 404),
    "METHOD_NOT_ALLOWED": (405, 405),
    "NOT_ACCEPTABLE": (406, 406),
    "BODY_TOO_LARGE": (413, 413),
    "UNSUPPORTED_MEDIA_TYPE": (415, 415),
    "UNPROCESSABLE": (422, 422),
    "RATE_LIMITED": (429, 429),
    "SUBJECT_NOT_FOUND": (404, 40401),
    "VERSION_NOT_FOUND": (404, 40402),
    "SCHEMA_NOT_FOUND": (404, 40403),
    "SUBJECT_SOFT_DELETED": (404, 40404),
    "SUBJECT_NOT_SOFT_DELETED": (404, 40405),
    "VERSION_SOFT_DELETED": (404, 40406),
    "VERSION_NOT_SOFT_DELETED": (404, 40407),
    "SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED": (404, 40408),
    "SUBJECT_LEVEL_MODE_NOT_CONFIGURED": (404, 40409),
    "INCOMPATIBLE_SCHEMA": (409, 409),
    "INVALID_SCHEMA": (422, 42201),
    "INVALID_VERSION": (422, 42202),
    "INVALID_COMPATIBILITY_LEVEL": (422, 42203),
    "INVALID_MODE": (422, 42204),
    "OPERATION_NOT_PERMITTED": (422, 42205),
    "REFERENCE_EXISTS": (422, 42206),
    "INVALID_SUBJECT": (422, 42208),
    "SCHEMA_TOO_LARGE": (422, 42209),
    "INVALID_RULESET": (422, 42210),
    "PARTICIPANT_NOT_FOUND": (404, 40450),
    "NO_COMMON_VERSION": (409, 40950),
    "INVALID_NEGOTIATION_REQUEST": (422, 42250),
    "INVALID_SEMVER": (422, 42251),
    "VERSION_IN_USE": (422, 42252),
    "INVALID_DATUM_REQUEST": (422, 42253),
    "SCHEMA_ID_EXHAUSTED": (422, 42254),
    "TOO_MANY_PARTICIPANTS": (429, 42950),
    "TOO_MANY_SUBJECT_WAITERS": (429, 42951),
    "TOO_MANY_WAITERS": (503, 50350),
    "STORE_ERROR": (500, 50001),
    "TIMEOUT": (500, 50002),
    "INTERNAL": (500, 500),
    "SERVICE_UNAVAILABLE": (503, 503),
    "REGISTRY_UNREACHABLE": (503, 50003),
}

REGISTRY_UNREACHABLE_CODE = ERROR_TABLE["REGISTRY_UNREACHABLE"][1]


def code_for_error_code(error_code: int) -> Optional[str]:
    """The stable name of a registry ``error_code`` (the first entry wins, as in the TypeScript SDK)."""
    for name, (_status, number) in ERROR_TABLE.items():
        if number == error_code:
            return name
    return None


def stable_code(error_code: int, status: Optional[int]) -> str:
    """Codes our table lacks (Confluent 8.x's 40901, a proxy's 502) fall back on the status."""
    direct = code_for_error_code(error_code)
    if direct is not None:
        return direct
    if status is None:
        return "REGISTRY_UNREACHABLE"
    by_status = code_for_error_code(status)
    if by_status is not None:
        return by_status
    if status in (502, 504):
        return "SERVICE_UNAVAILABLE"
    return "INTERNAL" if status >= 500 else "BAD_REQUEST"


class RegistryError(Exception):
    """Every failure of a registry call: an error answer, or no answer at all (``status`` None)."""

    def __init__(
        self,
        message: str,
        *,
        status: Optional[int],
        error_code: int,
        method: str = "",
        path: str = "",
        url: Optional[str] = None,
        attempts: int = 1,
        details: Optional[Dict[str, Any]] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.error_code = error_code
        self.code = stable_code(error_code, status)
        self.method = method
        self.path = path
        #: The base URL that gave the final answer (or failed last).
        self.url = url
        #: Attempts made, retries and fail-overs included.
        self.attempts = attempts
        #: Fields of the error body besides error_code and message (e.g. ``available``).
        self.details: Dict[str, Any] = dict(details or {})

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, error_code={self.error_code}, "
            f"status={self.status}, message={self.message!r})"
        )


class RegistryUnreachableError(RegistryError):
    """No answer: connection refused or reset, timeout, DNS failure (error_code 50003)."""


class NotFoundError(RegistryError):
    """404: unknown subject, version, schema id, participant or route."""


class ConflictError(RegistryError):
    """409: the registry refused because of what it holds."""


class IncompatibleSchemaError(ConflictError):
    """409 (Confluent 409/40901): the schema breaks the subject's compatibility level."""


class NoCommonVersionError(ConflictError):
    """409/40950: no live version satisfies the handshake; ``available`` lists what the server has."""

    @property
    def available(self) -> list:
        value = self.details.get("available")
        return value if isinstance(value, list) else []


class InvalidRequestError(RegistryError):
    """400/405/406/413/415/422: the request itself was refused (bad schema, label, range, body...)."""


class AuthenticationError(RegistryError):
    """401: missing or wrong credentials."""


class PermissionDeniedError(RegistryError):
    """403: the identity may not do this."""


class RateLimitedError(RegistryError):
    """429: too many requests (retried with backoff before this is raised)."""


class ServerError(RegistryError):
    """5xx answered by the registry or a proxy in front of it."""


def error_class(code: str, status: Optional[int]) -> type:
    if status is None or code == "REGISTRY_UNREACHABLE":
        return RegistryUnreachableError
    if code == "NO_COMMON_VERSION":
        return NoCommonVersionError
    if code == "INCOMPATIBLE_SCHEMA":
        return IncompatibleSchemaError
    if status >= 500 or ERROR_TABLE.get(code, (0, 0))[0] >= 500:
        return ServerError  # including a 2xx whose body the client could not read
    if status == 404:
        return NotFoundError
    if status == 409:
        return ConflictError
    if status == 401:
        return AuthenticationError
    if status == 403:
        return PermissionDeniedError
    if status == 429:
        return RateLimitedError
    return InvalidRequestError


def make_error(message: str, *, status: Optional[int], error_code: int, **context: Any) -> RegistryError:
    """The right subclass for this answer; ``context`` is the rest of RegistryError's keywords."""
    cls = error_class(stable_code(error_code, status), status)
    return cls(message, status=status, error_code=error_code, **context)
