/** The client SDK: registry client, lease helper, wire formats, serde and lean records. */
export {
  type AvscType,
  type CompiledSchema,
  compileSchema,
  type ResolvedReference,
  type SchemaSource,
  schemaText,
} from './compiled-schema.js';
export type { Credentials, RequestOptions, RetryOptions, TransportOptions } from './http-transport.js';
export { HttpTransport } from './http-transport.js';
export {
  type CreateRecordOptions,
  createRecord,
  createVectorRecord,
  PROXIMADB_CORE_SCHEMA,
  RecordValidationError,
  SEARCH_RESULT,
  SEARCH_RESULT_SCHEMA,
  toLeanJson,
  VECTOR_RECORD,
  VECTOR_RECORD_SCHEMA,
  type VectorRecord,
  type VectorRecordInput,
} from './lean-records.js';
export {
  ParticipantLease,
  type ParticipantOptions,
  realTimers,
  startParticipant,
  type Timers,
} from './participant.js';
export {
  type RegisterOptions,
  RegistryClient,
  type RegistryClientOptions,
  type SchemaInput,
} from './registry-client.js';
export { isRegistryError, RegistryError } from './registry-error.js';
export type {
  Agreement,
  CompatibilityCheck,
  HandshakeRequest,
  HandshakeResult,
  LabelledVersion,
  Mode,
  ParticipantAnswer,
  ParticipantRequest,
  Role,
  SchemaById,
  SubjectVersion,
  Supports,
} from './registry-types.js';
export {
  AvroSerde,
  type AvroSerdeOptions,
  type DecodeOptions,
  type EncodeOptions,
  SerdeError,
} from './serde.js';
export {
  CONFLUENT_HEADER_BYTES,
  CONFLUENT_MAGIC,
  detectWireFormat,
  fingerprintBytes,
  fingerprintHex,
  frameConfluent,
  frameSingleObject,
  parseConfluent,
  parseSingleObject,
  SINGLE_OBJECT_HEADER_BYTES,
  SINGLE_OBJECT_MARKER,
  type WireFormat,
  WireFormatError,
} from './wire-format.js';
