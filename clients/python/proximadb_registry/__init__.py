"""ProximaDB Schema Registry client: the registry's REST API with fail-over, the version handshake,
participant leases that follow the agreed version, and lean records validated exactly as the registry
validates them. Standard library only; Python 3.9+.
"""

from .autogen import AUTOGEN_PROPERTY, AutoGenerator, default_generator
from .avro_schema import ParsedSchema, SchemaError, parse_schema
from .client import RegistryClient
from .clock import SYSTEM_CLOCK, Clock, ManualClock
from .datum import DatumError, ValidationResult, format_datum_error, validate_datum
from .errors import (
    AuthenticationError,
    ConflictError,
    IncompatibleSchemaError,
    InvalidRequestError,
    NoCommonVersionError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    RegistryError,
    RegistryUnreachableError,
    ServerError,
)
from .lean_records import (
    PROXIMADB_CORE_SCHEMA,
    SEARCH_RESULT,
    SEARCH_RESULT_SCHEMA,
    VECTOR_RECORD,
    VECTOR_RECORD_SCHEMA,
    RecordValidationError,
    create_record,
    create_vector_record,
    to_lean_json,
)
from .negotiation import Agreement, BlockedVersion, Blocker, Fingerprints, HandshakeResult, LeaseAnswer
from .participant import Participant, start_participant
from .auth import BasicAuth, BearerAuth
from .cancellation import Cancellation, RequestCancelledError
from .transport import HttpTransport, RetryPolicy

__version__ = "0.1.0"

__all__ = [
    "AUTOGEN_PROPERTY",
    "PROXIMADB_CORE_SCHEMA",
    "SEARCH_RESULT",
    "SEARCH_RESULT_SCHEMA",
    "SYSTEM_CLOCK",
    "VECTOR_RECORD",
    "VECTOR_RECORD_SCHEMA",
    "Agreement",
    "AuthenticationError",
    "AutoGenerator",
    "BasicAuth",
    "BearerAuth",
    "BlockedVersion",
    "Blocker",
    "Cancellation",
    "Clock",
    "ConflictError",
    "DatumError",
    "Fingerprints",
    "HandshakeResult",
    "HttpTransport",
    "IncompatibleSchemaError",
    "InvalidRequestError",
    "LeaseAnswer",
    "ManualClock",
    "NoCommonVersionError",
    "NotFoundError",
    "ParsedSchema",
    "Participant",
    "PermissionDeniedError",
    "RateLimitedError",
    "RecordValidationError",
    "RegistryClient",
    "RegistryError",
    "RegistryUnreachableError",
    "RequestCancelledError",
    "RetryPolicy",
    "SchemaError",
    "ServerError",
    "ValidationResult",
    "create_record",
    "create_vector_record",
    "default_generator",
    "format_datum_error",
    "parse_schema",
    "start_participant",
    "to_lean_json",
    "validate_datum",
]
