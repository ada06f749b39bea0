"""A small, lenient reader of Avro schemas: just what datum validation and lean records need.

Schemas reach the client from the registry (already checked there) or from the generated constants
module, so this reader does not re-validate names or defaults; it builds one node per named type (so
recursion works), resolves references the way Avro 1.12 does (the full name, else the simple name in
the null namespace, forward references included) and keeps every attribute as ``props`` so that
``proximadb.autogen`` can be read from a field or from its type.
"""

import json
from typing import Any, Callable, Dict, List, Optional, Union

PRIMITIVE_TYPES = ("null", "boolean", "int", "long", "float", "double", "bytes", "string")
_MISSING = object()


class SchemaError(ValueError):
    """The schema text or JSON cannot be read as Avro."""


class Node:
    """One Avro type. ``kind`` is primitive, record, enum, fixed, array, map or union."""

    __slots__ = ("kind", "type", "props", "name", "namespace", "full_name", "fields", "symbols", "size",
                 "items", "values", "branches")

    def __init__(self, kind: str, props: Optional[Dict[str, Any]] = None) -> None:
        self.kind = kind
        self.props: Dict[str, Any] = props or {}
        self.type = ""  # the primitive's name
        self.name = ""
        self.namespace: Optional[str] = None
        self.full_name = ""
        self.fields: List["Field"] = []
        self.symbols: List[str] = []
        self.size = 0
        self.items: "Node" = self
        self.values: "Node" = self
        self.branches: List["Node"] = []

    def __repr__(self) -> str:
        label = self.full_name or self.type or self.kind
        return f"<avro {self.kind} {label}>"


class Field:
    __slots__ = ("name", "type", "has_default", "default", "props")

    def __init__(self, name: str, type_: Node, has_default: bool, default: Any, props: Dict[str, Any]):
        self.name = name
        self.type = type_
        #: True when a "default" key was present, "default": null included.
        self.has_default = has_default
        self.default = default
        self.props = props


class ParsedSchema:
    """The root node and every named type by full name."""

    def __init__(self, root: Node, named: Dict[str, Node], text: str) -> None:
        self.root = root
        self.named = named
        self.text = text

    def record(self, type_name: Optional[str] = None) -> Node:
        """The record to build: ``type_name``, or the one record of the root (a record, or a union with one)."""
        if type_name is not None:
            node = self.named.get(type_name)
            if node is None or node.kind != "record":
                raise SchemaError(f"the schema defines no record named {type_name}")
            return node
        if self.root.kind == "record":
            return self.root
        records = [b for b in self.root.branches if b.kind == "record"] if self.root.kind == "union" else []
        if len(records) == 1:
            return records[0]
        raise SchemaError(
            "the schema is not a single record: pass type= with the full name of the record to build"
        )


SchemaSource = Union[str, dict, list, ParsedSchema]


def parse_schema(schema: SchemaSource) -> ParsedSchema:
    """Reads a schema given as JSON text or as already-decoded JSON (dict, list, or a primitive name)."""
    if isinstance(schema, ParsedSchema):
        return schema
    if isinstance(schema, str):
        try:
            document = json.loads(schema)
        except ValueError:
            # A bare primitive name ("string") is valid schema text too.
            document = schema
        text = schema
    else:
        document = schema
        text = json.dumps(schema, separators=(",", ":"), ensure_ascii=False)
    return _Builder().build(document, text)


class _Builder:
    def __init__(self) -> None:
        self.named: Dict[str, Node] = {}
        self.pending: List[Callable[[], None]] = []

    def build(self, document: Any, text: str) -> ParsedSchema:
        holder: List[Node] = []
        self.parse(document, None, holder.append)
        for resolve in self.pending:
            resolve()
        return ParsedSchema(holder[0], self.named, text)

    def parse(self, value: Any, ns: Optional[str], assign: Callable[[Node], None]) -> None:
        if isinstance(value, str):
            self.reference(value, ns, assign)
            return
        if isinstance(value, list):
            union = Node("union")
            union.branches = [None] * len(value)  # type: ignore[list-item]
            for i, branch in enumerate(value):
                self.parse(branch, ns, _setter(union.branches, i))
            assign(union)
            return
        if not isinstance(value, dict):
            raise SchemaError(f"a schema must be a type name, an object or an array, got {value!r}")
        kind = value.get("type", _MISSING)
        if not isinstance(kind, str):
            raise SchemaError(f'a schema object needs a string "type", got {value!r}'[:200])
        if kind in ("record", "error"):
            assign(self.record(value, ns))
        elif kind in ("enum", "fixed"):
            node = self.named_node(kind, value, ns)
            if kind == "enum":
                node.symbols = list(value.get("symbols") or [])
            else:
                node.size = int(value.get("size", 0))
            assign(node)
        elif kind in ("array", "map"):
            node = Node(kind, dict(value))
            key = "items" if kind == "array" else "values"
            if key not in value:
                raise SchemaError(f'{kind} has no "{key}"')

            def child(n: Node, node: Node = node, key: str = key) -> None:
                setattr(node, key, n)

            self.parse(value[key], ns, child)
            assign(node)
        elif kind in PRIMITIVE_TYPES:
            node = Node("primitive", dict(value))
            node.type = kind
            assign(node)
        else:
            # {"type": "a.Name"} refers to a named type; Java drops the other attributes.
            self.reference(kind, ns, assign)

    def named_node(self, kind: str, value: Dict[str, Any], ns: Optional[str]) -> Node:
        name = value.get("name")
        if not isinstance(name, str):
            raise SchemaError(f'{kind} has no "name"')
        space = value["namespace"] if isinstance(value.get("namespace"), str) else ns
        node = Node(kind, dict(value))
        node.name, node.namespace, node.full_name = _split(name, space)
        self.named[node.full_name] = node
        return node

    def record(self, value: Dict[str, Any], ns: Optional[str]) -> Node:
        node = self.named_node("record", value, ns)
        fields = value.get("fields")
        if not isinstance(fields, list):
            raise SchemaError(f'record {node.full_name} has no "fields" array')
        for spec in fields:
            if not isinstance(spec, dict) or not isinstance(spec.get("name"), str) or "type" not in spec:
                raise SchemaError(f"record {node.full_name}: a field needs a name and a type")
            has_default = "default" in spec
            field = Field(spec["name"], node, has_default, spec.get("default"), dict(spec))
            node.fields.append(field)
            self.parse(spec["type"], node.namespace, _attr_setter(field, "type"))
        return node

    def reference(self, name: str, ns: Optional[str], assign: Callable[[Node], None]) -> None:
        if name in PRIMITIVE_TYPES:
            node = Node("primitive")
            node.type = name
            assign(node)
            return
        full_name = _split(name, ns)[2]
        found = self.resolve(full_name)
        if found is not None:
            assign(found)
            return

        def later() -> None:
            target = self.resolve(full_name)
            if target is None:
                raise SchemaError(f'undefined name "{name}"')
            assign(target)

        self.pending.append(later)

    def resolve(self, full_name: str) -> Optional[Node]:
        """Avro 1.12: the full name, else the simple name in the null namespace."""
        found = self.named.get(full_name)
        if found is None:
            found = self.named.get(full_name[full_name.rfind(".") + 1:])
        return found


def _split(name: str, space: Optional[str]) -> "tuple":
    dot = name.rfind(".")
    ns = space
    simple = name
    if dot >= 0:
        ns = name[:dot]
        simple = name[dot + 1:]
    if ns == "":
        ns = None
    return simple, ns, simple if ns is None else f"{ns}.{simple}"


def _setter(items: List[Any], index: int) -> Callable[[Node], None]:
    def assign(node: Node) -> None:
        items[index] = node

    return assign


def _attr_setter(target: Any, attr: str) -> Callable[[Node], None]:
    def assign(node: Node) -> None:
        setattr(target, attr, node)

    return assign


def record_schema_text(schema_text: str, full_name: str) -> str:
    """One record of a schema document that is a list of records, as compact JSON (like the TS SDK)."""
    document = json.loads(schema_text)
    for item in document if isinstance(document, list) else [document]:
        if not isinstance(item, dict):
            continue
        if f"{item.get('namespace')}.{item.get('name')}" == full_name or item.get("name") == full_name:
            return json.dumps(item, separators=(",", ":"), ensure_ascii=False)
    raise SchemaError(f"the schema defines no {full_name}")
