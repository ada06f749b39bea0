"""The negotiation flow against the real registry: handshakes, a participant's lease (renewals driven
by a ManualClock, failures injected in the transport), and agreement changes seen through the
long-poll the moment they happen (waits are on events, never sleeps)."""

import json
import queue
import threading
import unittest
from typing import Any, List, Optional

from proximadb_registry import (
    Agreement,
    InvalidRequestError,
    ManualClock,
    NoCommonVersionError,
    Participant,
    RegistryClient,
    RegistryUnreachableError,
)
from proximadb_registry.transport import HttpTransport

from .registry_process import RegistryProcess

WAIT = 60.0  # upper bound for an event that is expected promptly; only reached if something is broken
registry = RegistryProcess()
setUpModule = registry.start
tearDownModule = registry.stop


def event_schema(*fields: str) -> str:
    extra = "".join("," + f for f in fields)
    return '{"type":"record","name":"Event","namespace":"proxima","fields":[{"name":"id","type":"long"}%s]}' % extra


V1 = event_schema()
V11 = event_schema('{"name":"tag","type":"string","default":""}')


class FlakyTransport(HttpTransport):
    """Fails lease PUTs on cue (as if the registry were unreachable) and records every request."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.failing = 0
        self.seen: List[str] = []
        self._flaky_lock = threading.Lock()

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        with self._flaky_lock:
            self.seen.append(f"{method} {path}")
            fail = method == "PUT" and self.failing > 0
            if fail:
                self.failing -= 1
        if fail:
            raise RegistryUnreachableError("injected failure", status=None, error_code=50003, method=method, path=path)
        return super().request(method, path, **kwargs)


class LongPollSpy(HttpTransport):
    """Tells when a long-poll request has been written to the socket, and how each one ended."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sent = threading.Event()
        self.ended: List[str] = []
        self._local = threading.local()

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        long_poll = "waitSeconds" in (kwargs.get("query") or {})
        self._local.checkpoints = 0 if long_poll else None
        try:
            return super().request(method, path, **kwargs)
        except BaseException as error:
            if long_poll:
                self.ended.append(type(error).__name__)
            raise

    def _remaining(self, conn: Any, deadline: float) -> None:
        super()._remaining(conn, deadline)
        if getattr(self._local, "checkpoints", None) is not None:
            self._local.checkpoints += 1
            if self._local.checkpoints == 2:  # connected, then the request written: now the server holds it
                self.sent.set()


class Events:
    def __init__(self) -> None:
        self.queue: "queue.Queue[Any]" = queue.Queue()

    def renewed(self, answer: Any) -> None:
        self.queue.put(("renewed", answer))

    def error(self, error: BaseException) -> None:
        self.queue.put(("error", error))

    def expired(self) -> None:
        self.queue.put(("expired", None))

    def next(self) -> Any:
        return self.queue.get(timeout=WAIT)


class HandshakeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.client = RegistryClient(registry.url)
        cls.client.register("py-hs", V1)
        cls.client.register("py-hs", V11)
        cls.labelled = cls.client.list_labelled_versions("py-hs")

    def test_a_client_holding_the_schema_gets_an_exact_match_and_its_own_text(self) -> None:
        hs = self.client.handshake("py-hs", "reader", {"schema": json.loads(V11)})
        self.assertEqual((hs.version, hs.semver, hs.match), (2, "1.1.0", "exact"))
        self.assertNotIn("schema", hs.raw, "the registry does not send what the client holds")
        self.assertEqual(json.loads(hs.schema), json.loads(V11))
        self.assertEqual([r["semver"] for r in hs.readable], ["1.0.0", "1.1.0"])
        self.assertEqual(hs.fingerprints.crc64, self.labelled[1]["fingerprints"]["crc64"])
        self.assertEqual(hs.fingerprints.sha256, self.labelled[1]["fingerprints"]["sha256"])
        self.assertIsInstance(hs.epoch, int)

    def test_a_fingerprint_match_fetches_the_schema_by_id(self) -> None:
        hs = self.client.handshake("py-hs", "writer", {"fingerprints": [self.labelled[1]["fingerprints"]["sha256"]]})
        self.assertEqual((hs.version, hs.match), (2, "exact"))
        self.assertEqual(hs.schema, self.labelled[1]["schema"])

    def test_a_declared_range_gets_the_schema_text(self) -> None:
        hs = self.client.handshake("py-hs", "writer", {"range": "1.0.x"})
        self.assertEqual((hs.version, hs.match), (1, "declared"))
        self.assertEqual(hs.schema, hs.raw["schema"])

    def test_no_common_version_and_bad_requests(self) -> None:
        with self.assertRaises(NoCommonVersionError) as caught:
            self.client.handshake("py-hs", "reader", {"range": "^2.0.0"})
        self.assertEqual((caught.exception.status, caught.exception.error_code), (409, 40950))
        self.assertEqual([a["semver"] for a in caught.exception.available], ["1.0.0", "1.1.0"])
        with self.assertRaises(InvalidRequestError) as bad:
            self.client.handshake("py-hs", "reader", {"range": "not a range"})
        self.assertEqual(bad.exception.code, "INVALID_NEGOTIATION_REQUEST")
        with self.assertRaises(ValueError):
            self.client.handshake("py-hs", "owner", {"range": "^1.0.0"})
        with self.assertRaises(ValueError):
            self.client.handshake("py-hs", "reader", {"ranges": "^1.0.0"})


class LeaseTest(unittest.TestCase):
    NOW = 1768003200000.0  # the participant's own clock; the registry keeps its real one

    def setUp(self) -> None:
        self.clock = ManualClock(self.NOW)
        self.transport = FlakyTransport(registry.url, retry=None)
        self.client = RegistryClient(registry.url, transport=self.transport)
        self.client.register("py-lease", V1)

    def participant(self, pid: str, events: Events, **options: Any) -> Participant:
        options.setdefault("watch", False)
        p = Participant(
            self.client, "py-lease", pid, "reader", {"versions": [1]}, ttl_seconds=30,
            retry_delay=1.0, clock=self.clock,
            on_renewed=events.renewed, on_error=events.error, on_expired=events.expired, **options,
        )
        self.addCleanup(p.stop, remove=False)
        return p

    def test_renews_at_half_the_ttl_retries_before_expiry_reports_expiry_and_stops_cleanly(self) -> None:
        events = Events()
        p = self.participant("reader-1", events)
        answer = p.start()
        self.assertEqual(events.next()[0], "renewed")
        self.assertEqual(answer.agreement.version, 1)
        self.assertEqual(p.expires_at, self.NOW + 30_000)
        self.assertEqual(p.renews_at, self.NOW + 15_000, "renews when half the TTL has passed")

        self.clock.advance(15_000)
        self.assertEqual(events.next()[0], "renewed")
        self.assertEqual(p.expires_at, self.NOW + 45_000)

        self.transport.failing = 100
        self.clock.advance(15_000)
        self.assertEqual(events.next()[0], "error")
        self.assertEqual(p.renews_at, self.NOW + 31_000, "retries soon, well before the lease runs out")
        self.assertTrue(p.active)

        self.clock.advance(15_000)  # past expiry (NOW + 45 s)
        self.assertEqual([events.next()[0], events.next()[0]], ["error", "expired"])
        self.assertFalse(p.active)

        self.transport.failing = 0
        self.clock.advance(1_000)
        self.assertEqual(events.next()[0], "renewed", "a lapsed lease is re-registered once the registry answers")
        self.assertTrue(p.active)

        self.transport.seen.clear()
        p.stop()
        self.assertFalse(any(t.is_alive() for t in p.threads), "no thread left behind")
        self.assertEqual(self.transport.seen, ["DELETE /negotiation/subjects/py-lease/participants/reader-1"])
        self.assertNotIn("reader-1", [x["id"] for x in self.client.get_agreement("py-lease").participants])
        p.stop()
        self.assertEqual(len(self.transport.seen), 2, "a second stop does nothing (the GET above is the other)")
        self.assertTrue(events.queue.empty())

    def test_update_renews_at_once_and_stop_can_keep_the_lease(self) -> None:
        events = Events()
        p = self.participant("reader-2", events)
        p.start()
        self.transport.seen.clear()
        answer = p.update({"range": ">=1.0.0"})
        self.assertEqual(answer.participant_id, "reader-2")
        self.assertEqual(self.transport.seen, ["PUT /negotiation/subjects/py-lease/participants/reader-2"])
        self.assertEqual(p.renews_at, self.NOW + 15_000)
        p.stop(remove=False)
        self.assertIn("reader-2", [x["id"] for x in self.client.get_agreement("py-lease").participants])
        self.client.delete_participant("py-lease", "reader-2")

    def test_a_failed_first_registration_raises_and_starts_nothing(self) -> None:
        self.transport.failing = 1
        p = self.participant("reader-3", Events())
        with self.assertRaises(RegistryUnreachableError):
            p.start()
        self.assertEqual(p.threads, [])
        self.transport.seen.clear()
        p.stop()
        self.assertEqual(self.transport.seen, [], "nothing was registered, so nothing is deleted")

    def test_bad_settings_are_refused_up_front(self) -> None:
        for options in ({"ttl_seconds": 0}, {"renew_fraction": 1.0}, {"wait_seconds": 61}):
            with self.subTest(options):
                with self.assertRaises(ValueError):
                    Participant(self.client, "s", "p", "reader", {"versions": [1]}, **options)
        with self.assertRaises(ValueError):
            Participant(self.client, "s", "p", "auditor", {"versions": [1]})

    def test_threads_are_daemons(self) -> None:
        p = self.participant("reader-4", Events(), watch=True)
        p.start()
        self.assertEqual(len(p.threads), 2)
        self.assertTrue(all(t.daemon for t in p.threads))
        p.stop()


class AgreementFollowingTest(unittest.TestCase):
    """The worked rollout of docs/negotiation.md, seen from the WAL's participant."""

    def test_the_writer_follows_the_agreement_through_a_rollout_and_a_fallback(self) -> None:
        client = RegistryClient(registry.url)
        subject = "py-rollout-value"
        client.register(subject, V1)
        changes: "queue.Queue[Agreement]" = queue.Queue()
        errors: List[BaseException] = []

        def member(pid: str, role: str, supports: Any, **options: Any) -> Participant:
            p = Participant(client, subject, pid, role, supports, ttl_seconds=60, on_error=errors.append, **options)
            self.addCleanup(p.stop)
            p.start()
            return p

        reader_a = member("reader-a", "reader", {"range": "1.0.x"}, watch=False)
        reader_b = member("reader-b", "reader", {"range": "1.0.x"}, watch=False)
        wal = member("wal", "writer", {"range": "^1.0.0"}, on_change=lambda new, old: changes.put(new))
        self.assertEqual(wal.version, 1)
        start_epoch = wal.agreement.epoch

        client.register(subject, V11)  # labelled 1.1.0; the agreement holds
        held = client.get_agreement(subject)
        self.assertEqual((held.version, held.epoch, held.degraded), (1, start_epoch, False))
        self.assertEqual([(b.semver, [x.participant for x in b.blockers]) for b in held.blocked],
                         [("1.1.0", ["reader-a", "reader-b"])])

        reader_a.update({"range": "^1.0.0"})
        self.assertEqual(client.get_agreement(subject).epoch, start_epoch, "reader-b still blocks")
        reader_b.update({"range": "^1.0.0"})
        moved = changes.get(timeout=WAIT)
        self.assertEqual((moved.version, moved.semver, moved.epoch), (2, "1.1.0", start_epoch + 1))
        self.assertEqual(wal.version, 2)

        legacy = member("legacy", "reader", {"versions": [1]}, watch=False)
        back = changes.get(timeout=WAIT)
        self.assertEqual((back.version, back.epoch, back.degraded), (1, start_epoch + 2, True))
        self.assertIn("legacy", back.reason or "")

        legacy.stop()  # deletes its lease: the agreement returns to 1.1.0 at once
        forward = changes.get(timeout=WAIT)
        self.assertEqual((forward.version, forward.epoch), (2, start_epoch + 3))
        self.assertEqual(wal.wait_for_change(after_epoch=start_epoch + 2, timeout=0).version, 2)
        self.assertIsNone(wal.wait_for_change(timeout=0), "nothing moved since")

        for p in (wal, reader_a, reader_b):
            p.stop()
            self.assertFalse(any(t.is_alive() for t in p.threads))
        self.assertEqual(client.get_agreement(subject).participants, [])
        self.assertEqual(errors, [])
        self.assertTrue(changes.empty(), "one callback per move")

    def test_stop_interrupts_a_long_poll_in_flight(self) -> None:
        transport = LongPollSpy(registry.url)
        client = RegistryClient(registry.url, transport=transport)
        client.register("py-stop", V1)
        p = Participant(client, "py-stop", "watcher", "reader", {"range": "^1.0.0"}, wait_seconds=60)
        p.start()
        self.assertTrue(transport.sent.wait(WAIT), "the long-poll request was sent")
        p.stop(timeout=10)
        self.assertFalse(any(t.is_alive() for t in p.threads), "a 60 s long-poll ended when stop() closed its socket")
        self.assertEqual(transport.ended, ["RequestCancelledError"])

    def test_a_callback_that_raises_does_not_stop_the_participant(self) -> None:
        client = RegistryClient(registry.url)
        client.register("py-callback", V1)
        errors: "queue.Queue[BaseException]" = queue.Queue()
        seen: "queue.Queue[Optional[int]]" = queue.Queue()

        def on_change(new: Agreement, old: Optional[Agreement]) -> None:
            seen.put(new.version)
            raise RuntimeError("callback bug")

        p = Participant(client, "py-callback", "w", "writer", {"range": "^1.0.0"}, on_change=on_change,
                        on_error=errors.put)
        self.addCleanup(p.stop)
        p.start()
        client.register("py-callback", V11)  # no readers: the agreement moves to 1.1.0 at once
        self.assertEqual(seen.get(timeout=WAIT), 2)
        self.assertEqual(str(errors.get(timeout=WAIT)), "callback bug")
        self.assertTrue(all(t.is_alive() for t in p.threads))


if __name__ == "__main__":
    unittest.main()
