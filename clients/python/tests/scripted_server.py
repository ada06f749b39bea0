"""A registry stand-in that misbehaves on cue, for client-behaviour tests only (everything else runs
against the real registry): each request takes the next step of a script (answer a status, drop the
connection, hang), then the fallback answers."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional


class Step:
    def __init__(self, kind: str, status: int = 200, body: Any = None, headers: Optional[Dict[str, str]] = None,
                 raw: Optional[str] = None) -> None:
        self.kind = kind
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.raw = raw


def reply(status: int, body: Any = None, headers: Optional[Dict[str, str]] = None, raw: Optional[str] = None) -> Step:
    return Step("reply", status, body, headers, raw)


def drop() -> Step:
    return Step("drop")


def hang() -> Step:
    return Step("hang")


class Seen:
    def __init__(self, method: str, path: str, headers: Dict[str, str], body: str) -> None:
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body


class ScriptedServer:
    def __init__(self, fallback: Callable[[Seen], Step]) -> None:
        self.fallback = fallback
        self.script: List[Step] = []
        self.seen: List[Seen] = []
        self._lock = threading.Lock()
        self._release = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8") if length else ""
                seen = Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                with owner._lock:
                    owner.seen.append(seen)
                    step = owner.script.pop(0) if owner.script else None
                if step is None:
                    step = owner.fallback(seen)
                if step.kind == "drop":
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                if step.kind == "hang":
                    owner._release.wait(60)
                    self.close_connection = True
                    return
                data = (step.raw if step.raw is not None else json.dumps(step.body)).encode("utf-8")
                self.send_response(step.status)
                self.send_header("Content-Type", "application/vnd.schemaregistry.v1+json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in step.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, name="scripted-server", daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self._release.set()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join()


def refused_url() -> str:
    """A loopback URL nothing listens on (a port bound, then released)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"
