"""RegistryClient against the real registry: the Confluent calls, typed errors from real answers,
immutable-lookup caching with coalescing across threads, and fail-over onto a live node."""

import json
import threading
import unittest
from typing import Any, List

from proximadb_registry import (
    VECTOR_RECORD_SCHEMA,
    IncompatibleSchemaError,
    InvalidRequestError,
    NotFoundError,
    RegistryClient,
)
from proximadb_registry.transport import HttpTransport

from .registry_process import RegistryProcess
from .scripted_server import refused_url

registry = RegistryProcess()
setUpModule = registry.start
tearDownModule = registry.stop


class CountingTransport(HttpTransport):
    """Counts requests by "METHOD path" to show what was cached."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seen: List[str] = []
        self._seen_lock = threading.Lock()

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        with self._seen_lock:
            self.seen.append(f"{method} {path}")
        return super().request(method, path, **kwargs)


def record(name: str, *fields: str) -> str:
    extra = "".join("," + f for f in fields)
    return '{"type":"record","name":"%s","fields":[{"name":"a","type":"int"}%s]}' % (name, extra)


class ConfluentCallsTest(unittest.TestCase):
    def test_register_read_back_and_delete(self) -> None:
        client = RegistryClient(registry.url)
        subject = "py client/with slash"  # path segments are escaped
        first = client.register(subject, record("R"))
        second = client.register(subject, json.loads(record("R", '{"name":"b","type":"string","default":""}')))
        self.assertNotEqual(first, second)
        self.assertIn(subject, client.list_subjects())
        self.assertEqual(client.list_versions(subject), [1, 2])
        latest = client.get_latest(subject)
        self.assertEqual((latest["subject"], latest["version"], latest["id"]), (subject, 2, second))
        self.assertEqual(client.get_version(subject, 1)["id"], first)
        self.assertEqual(client.lookup(subject, record("R"))["version"], 1)
        self.assertEqual(json.loads(client.get_schema(first)["schema"]), json.loads(record("R")))
        self.assertEqual(client.test_compatibility(subject, record("R"), version="latest"), {"is_compatible": True})
        labelled = client.list_labelled_versions(subject)
        self.assertEqual([v["semver"] for v in labelled], ["1.0.0", "1.1.0"])
        self.assertEqual(client.get_by_semver(subject, "^1.0.0")["version"], 2)
        self.assertEqual(client.set_config(subject, "FULL"), {"compatibility": "FULL"})
        self.assertEqual(client.get_config(subject)["compatibilityLevel"], "FULL")
        self.assertEqual(client.delete_version(subject, 2), 2)
        self.assertEqual(client.delete_subject(subject), [1])
        self.assertEqual(client.delete_subject(subject, permanent=True), [1, 2])
        with self.assertRaises(NotFoundError) as caught:
            client.get_latest(subject)
        self.assertEqual(
            (caught.exception.code, caught.exception.error_code, caught.exception.status),
            ("SUBJECT_NOT_FOUND", 40401, 404),
        )

    def test_real_refusals_are_typed(self) -> None:
        client = RegistryClient(registry.url)
        client.register("py-typed", record("T"))
        with self.assertRaises(IncompatibleSchemaError) as incompatible:
            client.register("py-typed", record("T", '{"name":"b","type":"string"}'))  # no default: BACKWARD breaks
        self.assertEqual((incompatible.exception.status, incompatible.exception.error_code), (409, 409))
        with self.assertRaises(InvalidRequestError) as invalid:
            client.register("py-typed", '{"type":"record","name":"T"}')
        self.assertEqual((invalid.exception.code, invalid.exception.error_code), ("INVALID_SCHEMA", 42201))
        with self.assertRaises(NotFoundError) as missing:
            client.get_schema(999999)
        self.assertEqual(missing.exception.code, "SCHEMA_NOT_FOUND")

    def test_validate_endpoint(self) -> None:
        client = RegistryClient(registry.url)
        client.register("py-vectors", VECTOR_RECORD_SCHEMA)
        self.assertEqual(
            client.validate("py-vectors", "latest", {"vector": [1, "x"]}),
            {"valid": False, "errors": [{"path": "/vector/1", "message": 'expected float, got "x"'}]},
        )
        answer = client.validate("py-vectors", 1, {"vector": []}, apply_defaults=False)
        self.assertEqual(len(answer["errors"]), 4)


class CachingTest(unittest.TestCase):
    def test_immutable_lookups_are_cached_and_concurrent_misses_share_one_request(self) -> None:
        transport = CountingTransport(registry.url)
        client = RegistryClient(registry.url, transport=transport)
        schema_id = client.register("py-cache", record("C"))
        client.register("py-cache", record("C"))
        self.assertEqual(transport.seen.count("POST /subjects/py-cache/versions"), 1)

        barrier = threading.Barrier(20)
        results: List[Any] = []

        def fetch() -> None:
            barrier.wait()
            results.append(client.get_schema(schema_id))

        threads = [threading.Thread(target=fetch) for _ in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(len(results), 20)
        self.assertTrue(all(r == results[0] for r in results))
        self.assertEqual(transport.seen.count(f"GET /schemas/ids/{schema_id}"), 1)

    def test_failures_are_not_cached(self) -> None:
        transport = CountingTransport(registry.url)
        client = RegistryClient(registry.url, transport=transport)
        for _ in range(2):
            with self.assertRaises(NotFoundError):
                client.get_schema(424242)
        self.assertEqual(transport.seen.count("GET /schemas/ids/424242"), 2)


class FailOverOnTheRealRegistryTest(unittest.TestCase):
    def test_a_dead_first_node_is_skipped(self) -> None:
        client = RegistryClient([refused_url(), registry.url])
        self.assertIsInstance(client.list_subjects(), list)
        self.assertEqual(client.http.current_url, registry.url)


if __name__ == "__main__":
    unittest.main()
