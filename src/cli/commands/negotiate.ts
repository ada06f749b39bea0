/**
 * `negotiate SUBJECT --role R`: asks the registry which version to read or write with, given what this
 * client supports (a semver range, version numbers, fingerprints, or a schema file).
 */
import { resolve } from 'node:path';
import type { HandshakeRequest, Role, Supports } from '../../sdk/registry-types.js';
import { optionValue, usage } from '../args.js';
import { type Command, emit, positionals } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { REGISTRY_OPTIONS, registryClient } from '../registry-options.js';
import { readSchemaFile } from '../schema-files.js';

const ROLES: readonly Role[] = ['reader', 'writer', 'both'];

export const negotiateCommand: Command = {
  name: 'negotiate',
  summary: 'ask the registry which schema version to read or write with',
  usage:
    'negotiate SUBJECT --role reader|writer|both [--range R] [--versions 1,2] [--fingerprint F]... [--schema FILE]',
  details: 'At least one of --range, --versions, --fingerprint or --schema says what this client supports.',
  options: [
    ...REGISTRY_OPTIONS,
    { name: 'role', kind: 'string', value: 'ROLE', description: 'reader, writer or both' },
    {
      name: 'range',
      kind: 'string',
      value: 'RANGE',
      description: 'semver range of supported versions, e.g. ^1.2.0',
    },
    { name: 'versions', kind: 'string', value: 'N,N', description: 'supported registry version numbers' },
    {
      name: 'fingerprint',
      kind: 'string',
      value: 'HEX',
      multiple: true,
      description: 'PCF fingerprint held (CRC-64 or SHA-256 hex)',
    },
    { name: 'schema', kind: 'string', value: 'FILE', description: 'the schema compiled into the client' },
  ],
  async run(ctx) {
    const [subject] = positionals(ctx, ['SUBJECT']) as [string];
    const role = optionValue(ctx.args, 'role');
    if (role === undefined) throw usage('missing --role (reader, writer or both)');
    if (!(ROLES as readonly string[]).includes(role))
      throw usage(`--role: expected reader, writer or both, got '${role}'`);
    const supports: Supports = {};
    const range = optionValue(ctx.args, 'range');
    if (range !== undefined) supports.range = range;
    const versions = optionValue(ctx.args, 'versions');
    if (versions !== undefined) {
      const list = versions.split(',').map((v) => v.trim());
      if (list.some((v) => !/^[0-9]+$/.test(v)))
        throw usage(`--versions: expected numbers like 1,2,3, got '${versions}'`);
      supports.versions = list.map(Number);
    }
    const fingerprints = ctx.args.strings.get('fingerprint');
    if (fingerprints !== undefined) supports.fingerprints = [...fingerprints];
    const schemaFile = optionValue(ctx.args, 'schema');
    if (schemaFile !== undefined)
      supports.schema = readSchemaFile(resolve(ctx.io.cwd, schemaFile), schemaFile, 'strict').text;
    if (Object.keys(supports).length === 0)
      throw usage('say what the client supports: --range, --versions, --fingerprint or --schema');
    const request: HandshakeRequest = { role: role as Role, supports };
    const answer = await registryClient(ctx).handshake(subject, request);
    emit(
      ctx,
      [
        `${subject}: use version ${answer.version} (semver ${answer.semver}, id ${answer.id}, match ${answer.match}).`,
      ],
      { ok: true, ...answer },
    );
    return EXIT.OK;
  },
};
