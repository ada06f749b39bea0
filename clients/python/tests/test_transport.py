"""Client behaviour against a scripted stand-in server on loopback: fail-over between URLs, which
failures are retried, backoff and Retry-After (with an injected sleep: nothing waits for real),
typed errors from the envelope, timeouts, cancellation and auth headers."""

import base64
import threading
import unittest
from typing import List

from proximadb_registry import (
    AuthenticationError,
    BasicAuth,
    BearerAuth,
    Cancellation,
    IncompatibleSchemaError,
    InvalidRequestError,
    NoCommonVersionError,
    NotFoundError,
    RegistryClient,
    RegistryError,
    RegistryUnreachableError,
    RequestCancelledError,
    RetryPolicy,
    ServerError,
)
from proximadb_registry.transport import HttpTransport

from .scripted_server import ScriptedServer, drop, hang, refused_url, reply


def ok(body: object = None) -> object:
    return lambda seen: reply(200, {"ok": True} if body is None else body)


class Sleeps:
    def __init__(self) -> None:
        self.delays: List[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


class TransportTestCase(unittest.TestCase):
    def server(self, fallback: object = None) -> ScriptedServer:
        server = ScriptedServer(fallback or ok())  # type: ignore[arg-type]
        self.addCleanup(server.close)
        return server

    def transport(self, urls: object, **options: object) -> HttpTransport:
        sleeps = Sleeps()
        options.setdefault("sleep", sleeps)
        options.setdefault("random_fn", lambda: 0.5)
        transport = HttpTransport(urls, **options)  # type: ignore[arg-type]
        transport.sleeps = sleeps  # type: ignore[attr-defined]
        return transport


class FailOverTest(TransportTestCase):
    def test_moves_past_a_dead_node_and_a_503_at_once_then_sticks_to_the_live_one(self) -> None:
        unavailable = self.server(lambda seen: reply(503, {"error_code": 503, "message": "draining"}))
        live = self.server()
        transport = self.transport([refused_url(), unavailable.url, live.url])
        self.assertEqual(transport.request("GET", "/subjects"), {"ok": True})
        self.assertEqual(len(unavailable.seen), 1)
        self.assertEqual(len(live.seen), 1)
        self.assertEqual(transport.sleeps.delays, [], "fail-over does not wait")  # type: ignore[attr-defined]
        self.assertEqual(transport.current_url, live.url)
        transport.request("GET", "/subjects")
        self.assertEqual(len(unavailable.seen), 1, "the next request starts at the node that answered")
        self.assertEqual(len(live.seen), 2)

    def test_a_non_idempotent_request_fails_over_only_when_the_server_cannot_have_acted(self) -> None:
        unavailable = self.server(lambda seen: reply(503, {"error_code": 503, "message": "draining"}))
        live = self.server()
        transport = self.transport([refused_url(), unavailable.url, live.url])
        transport.request("DELETE", "/subjects/x", idempotent=False)
        self.assertEqual([s.method for s in live.seen], ["DELETE"])

        dropping = self.server()
        dropping.script = [drop()]
        other = self.server()
        transport = self.transport([dropping.url, other.url])
        with self.assertRaises(RegistryUnreachableError) as caught:
            transport.request("DELETE", "/subjects/x", idempotent=False)
        self.assertEqual(caught.exception.attempts, 1, "a dropped DELETE may have been applied: not repeated")
        self.assertEqual(other.seen, [])

    def test_a_dropped_idempotent_request_goes_to_the_next_node(self) -> None:
        dropping = self.server()
        dropping.script = [drop()]
        other = self.server()
        transport = self.transport([dropping.url, other.url])
        self.assertEqual(transport.request("GET", "/x"), {"ok": True})
        self.assertEqual(len(other.seen), 1)

    def test_when_every_node_fails_it_backs_off_between_rounds_and_gives_up_after_max_retries(self) -> None:
        transport = self.transport([refused_url(), refused_url()], retry=RetryPolicy(max_retries=2, base_delay=0.1))
        with self.assertRaises(RegistryUnreachableError) as caught:
            transport.request("POST", "/subjects/s/versions", body={}, idempotent=False)
        error = caught.exception
        self.assertEqual(error.attempts, 6, "three rounds over two nodes")
        self.assertIsNone(error.status)
        self.assertEqual((error.error_code, error.code), (50003, "REGISTRY_UNREACHABLE"))
        self.assertIn("unreachable (POST /subjects/s/versions)", error.message)
        # Full jitter at 0.5: half of 0.1, then half of 0.2.
        self.assertEqual(transport.sleeps.delays, [0.05, 0.1])  # type: ignore[attr-defined]


class RetryTest(TransportTestCase):
    def test_retry_after_is_honoured(self) -> None:
        server = self.server()
        server.script = [reply(503, {"error_code": 503, "message": "busy"}, {"Retry-After": "7"})]
        transport = self.transport(server.url, retry=RetryPolicy(budget=60))
        self.assertEqual(transport.request("GET", "/x"), {"ok": True})
        self.assertEqual(transport.sleeps.delays, [7.0])  # type: ignore[attr-defined]

    def test_no_retry_starts_past_the_budget(self) -> None:
        server = self.server()
        server.script = [reply(429, {"error_code": 429, "message": "slow down"}, {"Retry-After": "100"})]
        transport = self.transport(server.url, retry=RetryPolicy(budget=15))
        with self.assertRaises(RegistryError) as caught:
            transport.request("GET", "/x")
        self.assertEqual((caught.exception.status, caught.exception.code), (429, "RATE_LIMITED"))
        self.assertEqual(transport.sleeps.delays, [])  # type: ignore[attr-defined]

    def test_server_errors_are_retried_for_idempotent_requests_only(self) -> None:
        server = self.server()
        server.script = [reply(500, {"error_code": 50001, "message": "store error"})]
        transport = self.transport(server.url)
        self.assertEqual(transport.request("GET", "/x"), {"ok": True})
        server.script = [reply(500, {"error_code": 50001, "message": "store error"})]
        with self.assertRaises(ServerError) as caught:
            transport.request("POST", "/x", body={}, idempotent=False)
        self.assertEqual((caught.exception.code, caught.exception.attempts), ("STORE_ERROR", 1))

    def test_client_errors_are_not_retried(self) -> None:
        server = self.server()
        server.script = [reply(422, {"error_code": 42201, "message": "Invalid schema"})]
        transport = self.transport(server.url)
        with self.assertRaises(InvalidRequestError) as caught:
            transport.request("POST", "/subjects/s/versions", body={}, idempotent=True)
        self.assertEqual(len(server.seen), 1)
        self.assertEqual(caught.exception.code, "INVALID_SCHEMA")


class ErrorEnvelopeTest(TransportTestCase):
    def test_typed_errors_carry_the_envelope(self) -> None:
        server = self.server()
        transport = self.transport(server.url)
        cases = [
            (reply(404, {"error_code": 40401, "message": "no subject"}), NotFoundError, "SUBJECT_NOT_FOUND"),
            (reply(409, {"error_code": 40901, "message": "no"}), IncompatibleSchemaError, "INCOMPATIBLE_SCHEMA"),
            (reply(401, {"error_code": 401, "message": "Unauthorized"}), AuthenticationError, "UNAUTHORIZED"),
            (reply(502, raw="<html>bad gateway</html>"), ServerError, "SERVICE_UNAVAILABLE"),
        ]
        for step, cls, code in cases:
            with self.subTest(code):
                server.script = [step] * 5
                with self.assertRaises(cls) as caught:
                    transport.request("POST", "/x", body={}, idempotent=False)
                self.assertEqual(caught.exception.code, code)
                self.assertEqual(caught.exception.status, step.status)
        self.assertEqual(str(caught.exception), "HTTP 502 from POST /x: <html>bad gateway</html>")

    def test_no_common_version_lists_what_the_server_has(self) -> None:
        available = [{"version": 1, "semver": "1.0.0", "crc64": "36040b3c6f0a8e62"}]
        server = self.server(
            lambda seen: reply(409, {"error_code": 40950, "message": "No live version", "available": available})
        )
        with self.assertRaises(NoCommonVersionError) as caught:
            RegistryClient(server.url).handshake("s", "reader", {"range": "^9.0.0"})
        self.assertEqual(caught.exception.available, available)
        self.assertEqual((caught.exception.error_code, caught.exception.message), (40950, "No live version"))

    def test_a_success_that_is_not_json_is_an_error(self) -> None:
        server = self.server(lambda seen: reply(200, raw="<html>"))
        with self.assertRaises(ServerError) as caught:
            self.transport(server.url).request("GET", "/x")
        self.assertEqual(caught.exception.code, "INTERNAL")


class ConnectionTest(TransportTestCase):
    def test_an_attempt_times_out(self) -> None:
        server = self.server()
        server.script = [hang()]
        transport = self.transport(server.url, timeout=0.3, retry=RetryPolicy(max_retries=0))
        with self.assertRaises(RegistryUnreachableError) as caught:
            transport.request("GET", "/x")
        self.assertIn("timed out after 0.3 s", caught.exception.message)

    def test_cancellation_aborts_a_request_in_flight(self) -> None:
        server = self.server()
        server.script = [hang()]
        transport = self.transport(server.url, timeout=60)
        cancel = Cancellation()
        outcome: List[BaseException] = []

        def call() -> None:
            try:
                transport.request("GET", "/agreement", cancel=cancel, timeout=60)
            except BaseException as error:  # noqa: BLE001
                outcome.append(error)

        thread = threading.Thread(target=call)
        thread.start()
        while not server.seen:  # the request has reached the server and now hangs there
            thread.join(0.01)
        cancel.cancel()
        thread.join(10)
        self.assertFalse(thread.is_alive(), "the blocked read returned when the socket was closed")
        self.assertIsInstance(outcome[0], RequestCancelledError)
        with self.assertRaises(RequestCancelledError):
            transport.request("GET", "/x", cancel=cancel)

    def test_headers_auth_and_query(self) -> None:
        server = self.server()
        HttpTransport(server.url, auth=BasicAuth("ops", "p@ss:word")).request(
            "POST", "/a", body={"x": 1}, query={"normalize": True, "skip": None, "n": 2}
        )
        HttpTransport(server.url, auth=BearerAuth("tok123")).request("GET", "/b")
        credentials_url = server.url.replace("http://", "http://reader:s%40cret@")
        transport = HttpTransport(credentials_url, auth=None)
        self.assertEqual(transport.urls, [server.url], "credentials never appear in messages")
        transport.request("GET", "/c")
        first, second, third = server.seen
        self.assertEqual(first.path, "/a?normalize=true&n=2")
        self.assertEqual(first.headers["content-type"], "application/vnd.schemaregistry.v1+json")
        self.assertEqual(first.body, '{"x":1}')
        self.assertIn("application/vnd.schemaregistry.v1+json", first.headers["accept"])
        self.assertEqual(first.headers["authorization"], "Basic " + base64.b64encode(b"ops:p@ss:word").decode())
        self.assertEqual(second.headers["authorization"], "Bearer tok123")
        self.assertEqual(third.headers["authorization"], "Basic " + base64.b64encode(b"reader:s@cret").decode())

    def test_bad_arguments_are_refused_up_front(self) -> None:
        with self.assertRaises(ValueError):
            HttpTransport([])
        with self.assertRaises(ValueError):
            HttpTransport("ftp://x")
        with self.assertRaises(ValueError):
            HttpTransport("http://x", timeout=0)
        with self.assertRaises(ValueError):
            HttpTransport("http://x").request("POST", "/x", body={"v": float("nan")})


if __name__ == "__main__":
    unittest.main()
