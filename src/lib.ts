/**
 * The package's public entry (`import ... from 'proximadb-schema-registry'`): the Avro engine, datum
 * validation and auto-generated values, the client SDK, and the error table every layer shares. Server
 * code is deliberately absent: a client never loads Express or SQLite.
 */
export * from './avro/autogen.js';
export * from './avro/datum.js';
export * from './avro/index.js';
export { type Clock, ManualClock, systemClock } from './clock.js';
export { codeForErrorCode, DomainError, ERROR_TABLE, type ErrorCode, isDomainError } from './errors.js';
export * from './sdk/index.js';
