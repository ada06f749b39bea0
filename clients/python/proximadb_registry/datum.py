"""Datum validation with the registry's own rules and words.

``validate_datum`` says whether a value conforms to a schema, lists EVERY problem with a JSON-pointer
path (``/vector/3: expected float, got "x"``) and returns the datum completed the way a lean record is
completed: auto-generated fields (``proximadb.autogen``), then schema defaults, then null for optional
fields. It is a line-by-line port of the registry's validator (src/avro/datum-validator.ts), which
also answers ``POST /subjects/{s}/versions/{v}/validate``, so for the same JSON payload the client and
the registry report the same paths and the same messages (a shared corpus checks both).

Values are read as JSON values: dict (object), list or tuple (array), str, int/float (number), bool,
None (null); bytes/bytearray for Avro bytes and fixed, which JSON carries as ISO-8859-1 strings.
"""

from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Tuple

from .autogen import AutoGenerator, autogen_primitive, default_generator, is_autogen_kind
from .avro_schema import Field, Node, ParsedSchema, parse_schema
from .datum_values import (
    FLOAT_MAX,
    INT_MAX,
    INT_MIN,
    PLAIN_ITEMS,
    SAFE_MAX,
    Path,
    admits,
    as_bytes,
    autogen_of,
    copy_json,
    deep_recursion,
    expected,
    integer,
    member_key,
    node_bucket,
    plain_number,
    render,
    symbol_list,
)
from .js_values import bucket, describe, is_number, js_keys, to_double

_DEFAULT_GENERATOR = object()


class DatumError(NamedTuple):
    """One problem: ``path`` is a JSON pointer ('' is the datum itself)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '/'}: {self.message}"


class ValidationResult(NamedTuple):
    valid: bool
    #: The completed datum when valid, else None.
    datum: Any
    errors: Tuple[DatumError, ...]

    def to_json(self) -> Dict[str, Any]:
        """The shape the registry's validate endpoint answers."""
        if self.valid:
            return {"valid": True, "datum": self.datum}
        return {"valid": False, "errors": [{"path": e.path, "message": e.message} for e in self.errors]}


def format_datum_error(error: DatumError) -> str:
    return str(error)


def validate_datum(
    schema: Any,
    datum: Any,
    *,
    type_name: Optional[str] = None,
    apply_defaults: bool = True,
    generator: Any = _DEFAULT_GENERATOR,
    output: str = "json",
    unknown_fields: str = "error",
    max_errors: int = 100,
    max_depth: int = 500,
) -> ValidationResult:
    """Validates ``datum`` against ``schema`` (JSON text, decoded JSON, ParsedSchema or a Node).

    ``type_name`` validates against one named type of the schema instead of its root. ``generator``
    mints ``proximadb.autogen`` values (a process-wide one by default; None turns generation off).
    ``output`` 'json' gives bytes as ISO-8859-1 strings (what the registry answers); 'python' gives
    bytes objects. ``unknown_fields`` 'ignore' drops undeclared record fields instead of reporting them.
    """
    if isinstance(schema, Node):
        root = schema
    else:
        parsed = parse_schema(schema)
        root = parsed.root if type_name is None else _named(parsed, type_name)
    if generator is _DEFAULT_GENERATOR:
        generator = default_generator()
    if output not in ("json", "python"):
        raise ValueError("output must be 'json' or 'python'")
    if unknown_fields not in ("error", "ignore"):
        raise ValueError("unknown_fields must be 'error' or 'ignore'")
    validator = _Validator(apply_defaults, generator, output, unknown_fields == "error", max_errors, max_depth)
    with deep_recursion(max_depth):
        try:
            value = validator.check(root, datum, (), 0)
        except _TooMany:
            validator.errors.append(DatumError("", f"more errors not shown (limit {validator.max_errors})"))
    if validator.errors:
        return ValidationResult(False, None, tuple(validator.errors))
    return ValidationResult(True, value, ())


def _named(parsed: ParsedSchema, type_name: str) -> Node:
    node = parsed.named.get(type_name)
    if node is None:
        raise ValueError(f"the schema defines no type named {type_name}")
    return node


class _TooMany(Exception):
    pass


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID = _Invalid()


class _Validator:
    """The recursive walk: one method per Avro kind, every error with its path, the completed datum."""

    def __init__(
        self,
        apply_defaults: bool,
        generator: Optional[AutoGenerator],
        output: str,
        strict_keys: bool,
        max_errors: int,
        max_depth: int,
    ) -> None:
        self.errors: List[DatumError] = []
        self.max_errors = max_errors
        self.apply_defaults = apply_defaults
        self.generator = generator
        self.python_bytes = output == "python"
        self.strict_keys = strict_keys
        self.max_depth = max_depth
        # > 0 while trying union branches: failures are not reported and stop at the first error.
        self.silent = 0

    def fail(self, path: Path, message: str, rendered: Optional[str] = None) -> Any:
        if self.silent == 0:
            if len(self.errors) >= self.max_errors:
                raise _TooMany()
            self.errors.append(DatumError(render(path) if rendered is None else rendered, message))
        return INVALID

    def mismatch(self, node: Node, value: Any, path: Path) -> Any:
        return self.fail(path, f"expected {expected(node)}, got {describe(value)}")

    def check(self, node: Node, value: Any, path: Path, depth: int) -> Any:
        kind = node.kind
        if kind == "primitive":
            return self.primitive(node, value, path)
        if kind == "enum":
            if isinstance(value, str) and value in node.symbols:
                return value
            if not isinstance(value, str):
                return self.mismatch(node, value, path)
            return self.fail(
                path,
                f"expected a symbol of enum {node.full_name} {symbol_list(node.symbols)}, got {describe(value)}",
            )
        if kind == "fixed":
            data = as_bytes(value)
            if data is None:
                return self.mismatch(node, value, path)
            if len(data) != node.size:
                return self.fail(path, f"expected {node.size} bytes for fixed {node.full_name}, got {len(data)}")
            return self.binary(value, data)
        if kind == "array":
            return self.array(node, value, path, depth)
        if kind == "map":
            return self.map(node, value, path, depth)
        if kind == "record":
            return self.record(node, value, path, depth)
        return self.union(node, value, path, depth)

    def primitive(self, node: Node, value: Any, path: Path) -> Any:
        t = node.type
        if t == "null":
            return None if value is None else self.mismatch(node, value, path)
        if t == "boolean":
            return value if isinstance(value, bool) else self.mismatch(node, value, path)
        if t == "string":
            return value if isinstance(value, str) else self.mismatch(node, value, path)
        if t == "int":
            n = integer(value)
            if n is None:
                return self.mismatch(node, value, path)
            if n < INT_MIN or n > INT_MAX:
                return self.fail(path, f"expected int, got {describe(value)} (out of int32 range)")
            return int(n)
        if t == "long":
            n = integer(value)
            if n is None:
                return self.mismatch(node, value, path)
            # The registry's long is a JavaScript number: past 2^53 it cannot hold the value exactly.
            if abs(n) > SAFE_MAX:
                return self.fail(path, f"expected long, got {describe(value)} (beyond \u00b1(2^53-1), not exact)")
            return int(n)
        if t == "float":
            if not is_number(value):
                return self.mismatch(node, value, path)
            x = to_double(value)
            if x == x and abs(x) != float("inf") and abs(x) > FLOAT_MAX:
                return self.fail(path, f"expected float, got {describe(value)} (out of float range)")
            return plain_number(value)
        if t == "double":
            return plain_number(value) if is_number(value) else self.mismatch(node, value, path)
        data = as_bytes(value)
        if data is None:
            return self.mismatch(node, value, path)
        return self.binary(value, data)

    def binary(self, original: Any, data: bytes) -> Any:
        if self.python_bytes:
            return data
        return original if isinstance(original, str) else data.decode("latin-1")

    def array(self, node: Node, value: Any, path: Path, depth: int) -> Any:
        if not isinstance(value, (list, tuple)):
            return self.mismatch(node, value, path)
        if depth >= self.max_depth:
            return self.fail(path, f"nesting deeper than {self.max_depth} levels")
        items = node.items
        if items.kind == "primitive":
            plain = PLAIN_ITEMS.get(items.type)
            if plain is not None and plain(value):
                return list(value)  # every item is fine as it is: an embedding takes this path
        out = []
        ok = True
        for i, raw in enumerate(value):
            item = self.check(items, raw, path + (i,), depth + 1)
            if item is INVALID:
                ok = False
                if self.silent > 0:
                    return INVALID
            out.append(item)
        return out if ok else INVALID

    def map(self, node: Node, value: Any, path: Path, depth: int) -> Any:
        if not isinstance(value, Mapping):
            return self.mismatch(node, value, path)
        if depth >= self.max_depth:
            return self.fail(path, f"nesting deeper than {self.max_depth} levels")
        out: Dict[str, Any] = {}
        ok = True
        for key in js_keys(value):
            if not isinstance(key, str):
                # Only Python callers can get here: JSON object keys are always strings.
                item = self.fail(path + (key,), f"map keys must be strings, got {describe(key)}")
            else:
                item = self.check(node.values, value[key], path + (key,), depth + 1)
            if item is INVALID:
                ok = False
                if self.silent > 0:
                    return INVALID
            out[key] = item
        return out if ok else INVALID

    def record(self, node: Node, value: Any, path: Path, depth: int) -> Any:
        if not isinstance(value, Mapping):
            return self.mismatch(node, value, path)
        if depth >= self.max_depth:
            return self.fail(path, f"nesting deeper than {self.max_depth} levels")
        out: Dict[str, Any] = {}
        ok = True
        for field in node.fields:
            field_path = path + (field.name,)
            if field.name in value:
                item = self.check(field.type, value[field.name], field_path, depth + 1)
            else:
                item = self.fill(field, field_path, depth + 1)
            if item is INVALID:
                ok = False
                if self.silent > 0:
                    return INVALID
            out[field.name] = item
        if self.strict_keys:
            declared = {f.name for f in node.fields}
            for key in js_keys(value):
                if key not in declared:
                    ok = False
                    self.fail(path + (key,), f"unknown field (record {node.full_name} has no such field)")
                    if self.silent > 0:
                        return INVALID
        return out if ok else INVALID

    def fill(self, field: Field, path: Path, depth: int) -> Any:
        """An absent field: auto-generated, else its default, else null when the type admits null."""
        kind = autogen_of(field)
        if not self.apply_defaults:
            fillable = field.has_default or admits(field.type, "null") or kind is not None
            return self.fail(
                path, "missing field (applyDefaults would fill it)" if fillable else "missing required field"
            )
        if kind is not None and is_autogen_kind(kind) and self.generator is not None:
            primitive = autogen_primitive(kind)
            if not admits(field.type, primitive):
                return self.fail(path, f'cannot auto-generate "{kind}": the field\'s type has no {primitive} branch')
            return self.check(field.type, self.generator.generate(kind), path, depth)
        if field.has_default:
            return self.check(field.type, copy_json(field.default), path, depth)
        if admits(field.type, "null"):
            return None
        hint = f' (unsupported proximadb.autogen "{kind}")' if kind is not None and not is_autogen_kind(kind) else ""
        return self.fail(path, f"missing required field{hint}")

    def union(self, node: Node, value: Any, path: Path, depth: int) -> Any:
        names = [member_key(b) for b in node.branches]
        # Avro's JSON encoding writes {"<branch>": value}.
        if isinstance(value, Mapping) and len(value) == 1:
            key = next(iter(value))
            if key in names:
                branch = node.branches[names.index(key)]
                if not (branch.kind == "primitive" and branch.type == "null"):
                    inner = self.trial(branch, value[key], path + (key,), depth + 1)
                    if inner is not INVALID:
                        return inner
        for branch in node.branches:
            out = self.trial(branch, value, path, depth)
            if out is not INVALID:
                return out
        if self.silent > 0:
            return INVALID
        # Nothing fits: report inside the branch of the value's shape ("/vector/3: expected float" says
        # more than "expected one of [null, array]"); among several (two records), the closest one.
        shape = bucket(value)
        best: Optional[List[DatumError]] = None
        for branch in node.branches:
            if node_bucket(branch) != shape:
                continue
            errors = self.collect(branch, value, path, depth)
            if best is None or len(errors) < len(best):
                best = errors
        if best is None:
            return self.mismatch(node, value, path)
        for error in best:
            self.fail((), error.message, error.path)
        return INVALID

    def collect(self, node: Node, value: Any, path: Path, depth: int) -> List[DatumError]:
        """The errors a value has against one node, without reporting them."""
        saved, saved_max = self.errors, self.max_errors
        errors: List[DatumError] = []
        self.errors = errors
        self.max_errors = max(1, saved_max - len(saved))
        try:
            self.check(node, value, path, depth)
        except _TooMany:
            pass
        finally:
            self.errors, self.max_errors = saved, saved_max
        return errors

    def trial(self, node: Node, value: Any, path: Path, depth: int) -> Any:
        self.silent += 1
        try:
            return self.check(node, value, path, depth)
        finally:
            self.silent -= 1
