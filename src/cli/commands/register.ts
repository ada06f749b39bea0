/** `register SUBJECT FILE`: validates the schema locally, then registers it under the subject. */
import { resolve } from 'node:path';
import { type Command, emit, positionals } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { REGISTRY_OPTIONS, registryClient } from '../registry-options.js';
import { readSchemaFile } from '../schema-files.js';

export const registerCommand: Command = {
  name: 'register',
  summary: 'register a schema file under a subject',
  usage: 'register SUBJECT FILE [--registry URL] [--normalize] [options]',
  details: [
    'The file is parsed strictly first (exit 2 when invalid). The registry then checks it against the',
    "subject's level: an incompatible schema exits 1 with the registry's message. Registering a schema",
    'the subject already holds is a no-op that returns the same id and version.',
  ].join('\n'),
  options: [
    ...REGISTRY_OPTIONS,
    { name: 'normalize', kind: 'boolean', description: 'normalize the schema before registering' },
  ],
  async run(ctx) {
    const [subject, file] = positionals(ctx, ['SUBJECT', 'FILE']) as [string, string];
    const schema = readSchemaFile(resolve(ctx.io.cwd, file), file, 'strict');
    const client = registryClient(ctx);
    const normalize = ctx.args.flags.has('normalize') ? true : undefined;
    const id = await client.register(subject, schema.text, normalize === undefined ? {} : { normalize });
    const found = await client.lookup(subject, schema.text, normalize === undefined ? {} : { normalize });
    emit(ctx, [`Registered ${file} under ${subject}: version ${found.version}, id ${id}.`], {
      ok: true,
      subject,
      version: found.version,
      id,
    });
    return EXIT.OK;
  },
};
