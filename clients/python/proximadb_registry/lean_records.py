"""Lean records: callers set only the fields they care about and the schema decides the rest.

Fields marked ``proximadb.autogen`` get values (UUIDv7/ULID ids, timestamps in microseconds), other
absent fields take their defaults, optional ones become null. Nothing here is written per record type:
it all follows from the schema's own attributes, exactly as in the TypeScript SDK
(src/sdk/lean-records.ts), so a new field in the master schema needs no SDK change.
"""

import threading
from typing import Any, Dict, Iterable, Mapping, Optional, Sequence, Tuple

import proximadb_schema

from .autogen import AutoGenerator, default_generator
from .avro_schema import ParsedSchema, SchemaSource, parse_schema, record_schema_text
from .datum import DatumError, validate_datum

VECTOR_RECORD = "ai.proximadb.VectorRecord"
SEARCH_RESULT = "ai.proximadb.SearchResult"

#: The master schema (a union of records) from the generated constants module.
PROXIMADB_CORE_SCHEMA: str = proximadb_schema.SCHEMA
#: The VectorRecord on its own: what a producer registers for a topic of vectors.
VECTOR_RECORD_SCHEMA: str = record_schema_text(PROXIMADB_CORE_SCHEMA, VECTOR_RECORD)
SEARCH_RESULT_SCHEMA: str = record_schema_text(PROXIMADB_CORE_SCHEMA, SEARCH_RESULT)

_parsed_by_text: Dict[str, ParsedSchema] = {}
_parsed_lock = threading.Lock()


class RecordValidationError(ValueError):
    """The value does not fit the schema; ``errors`` holds every problem with its path."""

    def __init__(self, type_name: str, errors: Sequence[DatumError]) -> None:
        shown = "; ".join(str(e) for e in errors[:5])
        more = f" (+{len(errors) - 5} more)" if len(errors) > 5 else ""
        super().__init__(f"invalid {type_name}: {shown}{more}")
        self.type_name = type_name
        self.errors: Tuple[DatumError, ...] = tuple(errors)


def _parsed(schema: SchemaSource) -> ParsedSchema:
    if isinstance(schema, ParsedSchema):
        return schema
    if isinstance(schema, str):
        with _parsed_lock:
            cached = _parsed_by_text.get(schema)
        if cached is None:
            cached = parse_schema(schema)
            with _parsed_lock:
                if len(_parsed_by_text) >= 256:
                    _parsed_by_text.pop(next(iter(_parsed_by_text)))
                _parsed_by_text[schema] = cached
        return cached
    return parse_schema(schema)


def create_record(
    schema: SchemaSource,
    partial: Mapping[str, Any],
    *,
    type_name: Optional[str] = None,
    generator: Optional[AutoGenerator] = None,
    output: str = "json",
) -> Dict[str, Any]:
    """Completes ``partial`` into a full record of the schema, or raises RecordValidationError.

    ``type_name``: the full name of the record to build when the schema defines several (e.g. the
    master schema, a union of records). A key present with the value None is an explicit null; leave
    a key out to have it generated or defaulted.
    """
    record = _parsed(schema).record(type_name)
    result = validate_datum(record, partial, generator=generator or default_generator(), output=output)
    if not result.valid:
        raise RecordValidationError(record.full_name, result.errors)
    return result.datum


def create_vector_record(
    vector: Iterable[float],
    id: Optional[str] = None,  # noqa: A002 - the schema's field name
    metadata: Optional[Mapping[str, str]] = None,
    timestamp: Optional[int] = None,
    expires_at: Optional[int] = None,
    *,
    schema: Optional[SchemaSource] = None,
    generator: Optional[AutoGenerator] = None,
    **fields: Any,
) -> Dict[str, Any]:
    """A ProximaDB VectorRecord: ``id`` (UUIDv7) and ``timestamp`` (microseconds) filled in when absent.

    None means "not given" here: the schema then decides (generated, default or null). ``vector`` may
    be any iterable of numbers (a list, a tuple, an ``array.array``, a numpy array). ``schema`` is the
    schema holding ``ai.proximadb.VectorRecord`` (default: the master schema); fields a newer schema
    adds can be passed as keyword arguments.
    """
    if not isinstance(vector, (list, tuple)):
        # array.array and numpy arrays: tolist() gives plain Python numbers (like Array.from in the TS SDK).
        to_list = getattr(vector, "tolist", None)
        vector = to_list() if callable(to_list) else list(vector)
    partial: Dict[str, Any] = {"vector": vector}
    for key, value in (("id", id), ("metadata", metadata), ("timestamp", timestamp), ("expires_at", expires_at)):
        if value is not None:
            partial[key] = value
    for key, value in fields.items():
        if value is not None:
            partial[key] = value
    return create_record(
        schema if schema is not None else PROXIMADB_CORE_SCHEMA,
        partial,
        type_name=VECTOR_RECORD,
        generator=generator,
    )


def to_lean_json(record: Mapping[str, Any]) -> Dict[str, Any]:
    """The record with its null fields left out (readers fill them from the defaults)."""
    return {key: value for key, value in record.items() if value is not None}
