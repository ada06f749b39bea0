"""Credentials the client sends: HTTP Basic or a bearer token, one identity for every call."""

import base64
from typing import Mapping, NamedTuple, Optional, Tuple, Union


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
