"""Aborting a request in flight from another thread: what lets ``Participant.stop()`` end a long-poll
at once instead of waiting for the registry to answer it."""

import socket
import threading
from typing import List

from .errors import RegistryError


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
