/**
 * The rest of the Confluent-compatible paths: compatibility checks, `/config`, `/mode` (global and
 * per subject) and the small endpoints clients probe (misc-routes.ts).
 */
import { REGISTER_BODY_CODES } from './confluent-paths.js';
import { jsonContent } from './media.js';
import { flag, NORMALIZE, operation, pathParam, SUBJECT, VERSION } from './operation.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const VERBOSE = flag(
  'verbose',
  'Add `messages`: every incompatibility (and a parse error as an answer, not a 422).',
);
const DEFAULT_TO_GLOBAL = flag(
  'defaultToGlobal',
  'Answer the effective value (subject, else global, else the default) instead of 404 when the subject has none.',
);

export function compatibilityPaths(): Record<string, Record<string, unknown>> {
  const body = {
    schema: ref('RegisterSchemaRequest'),
    required: true,
    description: 'The candidate schema.',
  };
  const ok = {
    description:
      'The verdict. A subject with no live version (or `latest` with none) is compatible with anything.',
    content: jsonContent(ref('CompatibilityCheckResponse')),
  };
  return {
    '/compatibility/subjects/{subject}/versions': {
      post: operation({
        operationId: 'testCompatibilityWithLive',
        tag: 'Compatibility',
        summary: 'Would registering this schema pass the compatibility check?',
        description:
          'Exactly the check registration runs: the latest live version or all of them, per the effective level. The Java client posts with a trailing `/`, which is accepted.',
        permission: 'subject:read',
        parameters: [SUBJECT, VERBOSE, NORMALIZE],
        body,
        ok,
        errors: REGISTER_BODY_CODES,
      }),
    },
    '/compatibility/subjects/{subject}/versions/{version}': {
      post: operation({
        operationId: 'testCompatibilityWithVersion',
        tag: 'Compatibility',
        summary: 'Is this schema compatible with one version?',
        description:
          "In the direction the subject's effective level implies; a numeric version must be live.",
        permission: 'subject:read',
        parameters: [SUBJECT, VERSION, VERBOSE, NORMALIZE],
        body,
        ok,
        errors: [...REGISTER_BODY_CODES, 'INVALID_VERSION', 'VERSION_NOT_FOUND'],
      }),
    },
  };
}

export function configPaths(): Record<string, Record<string, unknown>> {
  const updateBody = {
    schema: ref('ConfigUpdateRequest'),
    required: true,
    description: 'The new level (and `normalize`).',
  };
  const updated = { description: 'The update echoed.', content: jsonContent(ref('ConfigUpdateResponse')) };
  return {
    '/config': {
      get: operation({
        operationId: 'getGlobalConfig',
        tag: 'Config',
        summary: 'The global compatibility level',
        description:
          'Always answers: the server default (`DEFAULT_COMPATIBILITY`, BACKWARD) when none is set.',
        permission: 'read',
        parameters: [flag('defaultToGlobal', 'Accepted; the global config is always the effective one.')],
        ok: { description: 'The global config.', content: jsonContent(ref('Config')) },
      }),
      put: operation({
        operationId: 'setGlobalConfig',
        tag: 'Config',
        summary: 'Set the global compatibility level',
        permission: 'admin',
        body: updateBody,
        ok: updated,
        errors: ['UNPROCESSABLE', 'INVALID_COMPATIBILITY_LEVEL'],
      }),
      delete: operation({
        operationId: 'deleteGlobalConfig',
        tag: 'Config',
        summary: 'Reset the global level to the server default',
        permission: 'admin',
        ok: { description: 'The previous global config.', content: jsonContent(ref('Config')) },
      }),
    },
    '/config/{subject}': {
      get: operation({
        operationId: 'getSubjectConfig',
        tag: 'Config',
        summary: "A subject's own compatibility level",
        permission: 'subject:read',
        parameters: [SUBJECT, DEFAULT_TO_GLOBAL],
        ok: { description: 'The config.', content: jsonContent(ref('Config')) },
        errors: ['SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED'],
      }),
      put: operation({
        operationId: 'setSubjectConfig',
        tag: 'Config',
        summary: "Set a subject's compatibility level (the subject need not exist yet)",
        permission: 'subject:write',
        parameters: [SUBJECT],
        body: updateBody,
        ok: updated,
        errors: [
          'UNPROCESSABLE',
          'INVALID_COMPATIBILITY_LEVEL',
          'INVALID_SUBJECT',
          'OPERATION_NOT_PERMITTED',
        ],
      }),
      delete: operation({
        operationId: 'deleteSubjectConfig',
        tag: 'Config',
        summary: "Remove a subject's own level",
        permission: 'subject:write',
        parameters: [SUBJECT],
        ok: { description: 'The previous config.', content: jsonContent(ref('Config')) },
        errors: ['SUBJECT_NOT_FOUND', 'OPERATION_NOT_PERMITTED'],
      }),
    },
  };
}

export function modePaths(): Record<string, Record<string, unknown>> {
  const updateBody = { schema: ref('ModeUpdateRequest'), required: true, description: 'The new mode.' };
  const modeAnswer = (description: string) => ({ description, content: jsonContent(ref('ModeView')) });
  const force = flag('force', 'Enter IMPORT even though the scope has live schemas.');
  return {
    '/mode': {
      get: operation({
        operationId: 'getGlobalMode',
        tag: 'Mode',
        summary: 'The global mode (READWRITE by default)',
        permission: 'read',
        parameters: [flag('defaultToGlobal', 'Accepted; the global mode is always the effective one.')],
        ok: modeAnswer('The global mode.'),
      }),
      put: operation({
        operationId: 'setGlobalMode',
        tag: 'Mode',
        summary: 'Set the global mode',
        description: 'IMPORT needs a registry without live schemas unless `force=true`.',
        permission: 'admin',
        parameters: [force],
        body: updateBody,
        ok: modeAnswer('The mode set.'),
        errors: ['UNPROCESSABLE', 'INVALID_MODE', 'OPERATION_NOT_PERMITTED'],
      }),
      delete: operation({
        operationId: 'deleteGlobalMode',
        tag: 'Mode',
        summary: 'Reset the global mode to READWRITE',
        permission: 'admin',
        parameters: [flag('recursive', 'Also remove every subject mode.')],
        ok: modeAnswer('The previous global mode.'),
      }),
    },
    '/mode/{subject}': {
      get: operation({
        operationId: 'getSubjectMode',
        tag: 'Mode',
        summary: "A subject's own mode",
        permission: 'subject:read',
        parameters: [SUBJECT, DEFAULT_TO_GLOBAL],
        ok: modeAnswer('The mode.'),
        errors: ['SUBJECT_LEVEL_MODE_NOT_CONFIGURED'],
      }),
      put: operation({
        operationId: 'setSubjectMode',
        tag: 'Mode',
        summary: "Set a subject's mode",
        description: 'IMPORT needs a subject without live versions unless `force=true`.',
        permission: 'admin',
        parameters: [SUBJECT, force],
        body: updateBody,
        ok: modeAnswer('The mode set.'),
        errors: ['UNPROCESSABLE', 'INVALID_MODE', 'INVALID_SUBJECT', 'OPERATION_NOT_PERMITTED'],
      }),
      delete: operation({
        operationId: 'deleteSubjectMode',
        tag: 'Mode',
        summary: "Remove a subject's own mode",
        permission: 'admin',
        parameters: [SUBJECT, flag('recursive', 'Answer the global mode instead of 404 when none is set.')],
        ok: modeAnswer('The previous mode.'),
        errors: ['SUBJECT_NOT_FOUND'],
      }),
    },
  };
}

export function probePaths(): Record<string, Record<string, unknown>> {
  const empty = { description: '`{}`', content: jsonContent({ type: 'object', maxProperties: 0 }) };
  const probe = { tag: 'Server', storage: false } as const;
  return {
    '/': {
      get: operation({
        ...probe,
        operationId: 'root',
        summary: 'Liveness no-op',
        permission: 'read',
        ok: empty,
      }),
      post: operation({
        ...probe,
        operationId: 'rootPost',
        summary: 'Liveness no-op (Confluent answers POST too)',
        permission: 'write',
        ok: empty,
      }),
    },
    '/contexts': {
      get: operation({
        ...probe,
        operationId: 'listContexts',
        summary: 'Schema contexts: only the default one',
        permission: 'read',
        ok: { description: '`["."]`', content: jsonContent({ type: 'array', items: { const: '.' } }) },
      }),
    },
    '/v1/metadata/id': {
      get: operation({
        ...probe,
        operationId: 'getClusterId',
        summary: 'Cluster ids (the Java client reads them)',
        permission: 'read',
        ok: { description: 'The ids.', content: jsonContent(ref('ServerClusterId')) },
      }),
    },
    '/v1/metadata/version': {
      get: operation({
        ...probe,
        operationId: 'getServerVersion',
        summary: "The registry's version",
        permission: 'read',
        ok: { description: 'The version.', content: jsonContent(ref('ServerVersion')) },
      }),
    },
    '/associations/resources/{namespace}/{name}': {
      get: operation({
        ...probe,
        operationId: 'getAssociations',
        summary: 'Associations of a resource: always none',
        description:
          '`@confluentinc/schemaregistry` ≥ 1.9 asks before its first serialization; the empty list makes it fall back to the `<topic>-value` subject. Query parameters (`resourceType`, `associationType`, ...) are ignored.',
        permission: 'read',
        parameters: [
          pathParam('namespace', 'The resource namespace (`-` for the default).', { type: 'string' }, '-'),
          pathParam('name', 'The resource name (a topic).', { type: 'string' }, 'vectors'),
        ],
        ok: { description: '`[]`', content: jsonContent({ type: 'array', maxItems: 0 }) },
      }),
    },
  };
}
