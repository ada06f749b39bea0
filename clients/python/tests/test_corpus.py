"""The SDK corpus, Python side: ``validate_datum`` and the lean-record builders give exactly the results
recorded in test/fixtures/sdk-corpus (which the TypeScript SDK is held to by test/sdk/corpus.test.ts),
and the running registry's validate endpoint gives the same answers for the same payloads."""

import json
import unittest
from typing import Any, Dict

from proximadb_registry import (
    RecordValidationError,
    RegistryClient,
    create_record,
    create_vector_record,
    to_lean_json,
    validate_datum,
)

from . import corpus
from .registry_process import RegistryProcess

VALIDATION = corpus.load("validation.json")
LEAN_RECORDS = corpus.load("lean-records.json")
SERVER_OPTIONS = {"applyDefaults"}

registry = RegistryProcess()
setUpModule = registry.start
tearDownModule = registry.stop


def validate(case: Dict[str, Any], clock: int, random_byte: int) -> Any:
    options = case.get("options", {})
    result = validate_datum(
        corpus.schema_text(VALIDATION, case["schema"]),
        corpus.expand(case["datum"]),
        apply_defaults=options.get("applyDefaults", True),
        max_errors=options.get("maxErrors", 100),
        max_depth=options.get("maxDepth", 500),
        unknown_fields=options.get("unknownFields", "error"),
        generator=None if "generator" in options else corpus.generator(clock, random_byte),
    )
    return corpus.as_json(result.to_json())


def build(case: Dict[str, Any], clock: int, random_byte: int) -> Any:
    generator = corpus.generator(clock, random_byte)
    data = corpus.expand(case["input"])
    try:
        if case["call"] == "createVectorRecord":
            schema = corpus.schema_text(LEAN_RECORDS, case["schema"]) if "schema" in case else None
            record = create_vector_record(**data, schema=schema, generator=generator)
        else:
            record = create_record(
                corpus.schema_text(LEAN_RECORDS, case["schema"]), data, type_name=case.get("type"), generator=generator
            )
    except RecordValidationError as error:
        return corpus.as_json({"errors": [{"path": e.path, "message": e.message} for e in error.errors]})
    return corpus.as_json({"record": record, "lean": to_lean_json(record)})


class ValidationCorpusTest(unittest.TestCase):
    """validation.json with the Python validator: same results, generated values included."""

    def test_every_case(self) -> None:
        self.assertGreaterEqual(len(VALIDATION["cases"]), 50)
        for case in VALIDATION["cases"]:
            with self.subTest(case["name"]):
                self.assertEqual(validate(case, VALIDATION["clock"], VALIDATION["randomByte"]), case["expect"])


class LeanRecordCorpusTest(unittest.TestCase):
    def test_every_case(self) -> None:
        for case in LEAN_RECORDS["cases"]:
            with self.subTest(case["name"]):
                self.assertEqual(build(case, LEAN_RECORDS["clock"], LEAN_RECORDS["randomByte"]), case["expect"])

    def test_generated_values_follow_the_clock_and_randomness(self) -> None:
        """Exactly the pointers the corpus marks as generated change with another clock and other bytes."""
        for case in LEAN_RECORDS["cases"]:
            with self.subTest(case["name"]):
                other = build(case, LEAN_RECORDS["clock"] + 1, LEAN_RECORDS["randomByte"] + 1)
                generated = case.get("generated", {})
                self.assertEqual(corpus.masked(other, list(generated)), corpus.masked(case["expect"], list(generated)))
                for pointer, kind in generated.items():
                    value = str(corpus.pointer_get(other, pointer))
                    self.assertRegex(value, corpus.KIND_PATTERNS[kind])
                    self.assertNotEqual(value, str(corpus.pointer_get(case["expect"], pointer)))


class RegistryAgreesTest(unittest.TestCase):
    """The same payloads sent to the registry's validate endpoint: the same answers (generated values
    come from the server's clock, so those are checked for their kind only)."""

    def test_every_case_against_the_validate_endpoint(self) -> None:
        client = RegistryClient(registry.url)
        subjects: Dict[str, str] = {}
        for name in VALIDATION["schemas"]:
            subject = f"corpus-{name}"
            client.register(subject, corpus.schema_text(VALIDATION, name))
            subjects[name] = subject
        checked = 0
        for case in VALIDATION["cases"]:
            options = case.get("options", {})
            if set(options) - SERVER_OPTIONS:
                continue  # options the endpoint does not have
            with self.subTest(case["name"]):
                answer = client.validate(
                    subjects[case["schema"]],
                    "latest",
                    corpus.expand(case["datum"]),
                    apply_defaults=options.get("applyDefaults"),
                )
                generated = list(case.get("generated", {}))
                self.assertEqual(corpus.masked(answer, generated), corpus.masked(case["expect"], generated))
                for pointer, kind in case.get("generated", {}).items():
                    self.assertRegex(str(corpus.pointer_get(answer, pointer)), corpus.KIND_PATTERNS[kind])
                checked += 1
        self.assertGreaterEqual(checked, 45)

    def test_the_python_validator_matches_the_endpoint_on_the_raw_json_text(self) -> None:
        """Numbers the registry's JSON.parse rounds (beyond 2^53) are reported as the registry reports them."""
        case = next(c for c in VALIDATION["cases"] if c["name"] == "a timestamp beyond 2^53")
        self.assertEqual(case["datum"]["timestamp"], 9007199254740993, "the corpus keeps the exact literal")
        self.assertEqual(json.loads(json.dumps(case["datum"]))["timestamp"], 9007199254740993)
        self.assertEqual(
            validate(case, VALIDATION["clock"], VALIDATION["randomByte"])["errors"][0]["message"],
            "expected long, got 9007199254740992 (beyond \u00b1(2^53-1), not exact)",
        )


if __name__ == "__main__":
    unittest.main()
