"""The schema reader (names, namespaces, references, record selection) and the JavaScript views of
values that keep messages identical to the registry's."""

import json
import random
from array import array
import unittest
from unittest import mock

from proximadb_registry import SchemaError, create_vector_record, parse_schema, validate_datum
from proximadb_registry.datum_values import PLAIN_ITEMS
from proximadb_registry.js_values import describe, js_keys, js_number, js_string


class SchemaReaderTest(unittest.TestCase):
    def test_namespaces_are_inherited_and_references_resolve_forward_and_by_simple_name(self) -> None:
        parsed = parse_schema(
            {
                "type": "record", "name": "Outer", "namespace": "a.b",
                "fields": [
                    {"name": "inner", "type": {"type": "record", "name": "Inner", "fields": [
                        {"name": "e", "type": {"type": "enum", "name": "x.E", "symbols": ["A"]}}]}},
                    {"name": "again", "type": "Inner"},
                    {"name": "e2", "type": "x.E"},
                    {"name": "ref", "type": {"type": "a.b.Inner"}},
                    {"name": "self", "type": ["null", "Outer"]},
                ],
            }
        )
        self.assertEqual(sorted(parsed.named), ["a.b.Inner", "a.b.Outer", "x.E"])
        fields = {f.name: f.type for f in parsed.root.fields}
        self.assertIs(fields["again"], parsed.named["a.b.Inner"])
        self.assertIs(fields["ref"], parsed.named["a.b.Inner"])
        self.assertIs(fields["e2"], parsed.named["x.E"])
        self.assertIs(fields["self"].branches[1], parsed.root)
        forward = parse_schema('[{"type":"record","name":"A","fields":[{"name":"b","type":"B"}]},'
                               '{"type":"record","name":"B","fields":[]}]')
        self.assertIs(forward.named["A"].fields[0].type, forward.named["B"])

    def test_record_selection(self) -> None:
        core = parse_schema('[{"type":"record","name":"A","fields":[]},{"type":"record","name":"B","fields":[]}]')
        self.assertEqual(core.record("B").full_name, "B")
        with self.assertRaises(SchemaError):
            core.record()
        with self.assertRaises(SchemaError):
            core.record("Nope")
        self.assertEqual(parse_schema('["null",{"type":"record","name":"R","fields":[]}]').record().full_name, "R")

    def test_unreadable_schemas_are_refused(self) -> None:
        for bad in ('{"type":"record","name":"R","fields":[{"name":"a","type":"Missing"}]}', "{}", "[1]"):
            with self.subTest(bad):
                with self.assertRaises(SchemaError):
                    parse_schema(bad)

    def test_python_values_validate_like_their_json(self) -> None:
        schema = '{"type":"record","name":"R","fields":[{"name":"v","type":{"type":"array","items":"float"}},' \
                 '{"name":"b","type":"bytes"},{"name":"m","type":{"type":"map","values":"int"}}]}'
        result = validate_datum(schema, {"v": (1, 2.5), "b": b"\x00\xff", "m": {"k": 1}})
        self.assertEqual(result.datum, {"v": [1, 2.5], "b": "\x00\xff", "m": {"k": 1}})
        as_bytes = validate_datum(schema, {"v": [], "b": "\u00e9", "m": {}}, output="python")
        self.assertEqual(as_bytes.datum["b"], b"\xe9")
        refused = validate_datum(schema, {"v": [True], "b": bytearray(b"x"), "m": {1: 1}})
        self.assertEqual(
            [str(e) for e in refused.errors],
            ["/v/0: expected float, got true", "/m/1: map keys must be strings, got 1"],
        )


class VectorInputTest(unittest.TestCase):
    def test_any_iterable_of_numbers_makes_a_vector(self) -> None:
        for vector in ([0.5, 1], (0.5, 1), array("f", [0.5, 1.0]), iter([0.5, 1])):
            with self.subTest(type(vector).__name__):
                self.assertEqual(create_vector_record(vector)["vector"], [0.5, 1])


class ArrayFastPathTest(unittest.TestCase):
    """Arrays of primitives take a shortcut when every item is plainly valid: it must never change a result."""

    EDGES = [0, -0.0, 1, -1, 0.5, 1e-7, 3.4028234663852886e38, 3.5e38, -3.5e38, 1e308, float("inf"),
             float("nan"), 2**31 - 1, 2**31, -(2**31) - 1, 2**53 - 1, 2**53, 2**60, 10**400, True, None, "x", [1]]

    def test_the_shortcut_and_the_item_by_item_walk_agree(self) -> None:
        rng = random.Random(16)
        for item_type in ("float", "double", "int", "long", "string", "boolean"):
            schema = parse_schema({"type": "array", "items": item_type})
            for _ in range(300):
                items = [rng.choice(self.EDGES + [rng.uniform(-1, 1), rng.randint(-9, 9), "s"]) for _ in range(4)]
                if rng.random() < 0.5:  # often all of one plain kind, so the shortcut is taken
                    items = [rng.uniform(-1, 1)] * 3 if item_type in ("float", "double") else items
                fast = validate_datum(schema, items)
                with mock.patch.dict(PLAIN_ITEMS, clear=True):
                    slow = validate_datum(schema, items)
                with self.subTest(item_type=item_type, items=items):
                    self.assertEqual(json.dumps(fast.to_json()), json.dumps(slow.to_json()))


class JavaScriptViewTest(unittest.TestCase):
    def test_numbers_print_as_javascript_prints_them(self) -> None:
        cases = {
            0: "0", -0.0: "0", 1.0: "1", 1.5: "1.5", 0.1: "0.1", 1e21: "1e+21", 1e20: "100000000000000000000",
            2**60: "1152921504606847000", 10**400: "Infinity", -(10**400): "-Infinity", 1.5e-7: "1.5e-7",
            1e-6: "0.000001", 123.456: "123.456", -2.5e-10: "-2.5e-10", 5e-324: "5e-324",
            float("nan"): "NaN", 12345678.9: "12345678.9",
        }
        for value, text in cases.items():
            with self.subTest(value=value):
                self.assertEqual(js_number(value), text)

    def test_keys_in_javascript_order(self) -> None:
        self.assertEqual(js_keys({"b": 1, "10": 1, "a": 1, "2": 1, "01": 1, "4294967295": 1, "4294967294": 1}),
                         ["2", "10", "4294967294", "b", "a", "01", "4294967295"])

    def test_descriptions(self) -> None:
        self.assertEqual(describe(True), "true")
        self.assertEqual(describe((1, 2)), "an array (2 items)")
        self.assertEqual(describe(b"ab"), "bytes (2)")
        self.assertEqual(describe({}), "an object")
        self.assertEqual(describe("x" * 41), '"' + "x" * 40 + '\u2026"')
        self.assertEqual(describe("x" * 40), '"' + "x" * 40 + '"')
        self.assertEqual(js_string("\ud83d"), '"\\ud83d"')


if __name__ == "__main__":
    unittest.main()
