/**
 * `export`: the whole registry as one JSON document (subjects, versions incl. soft-deleted, schemas with
 * their ids, config and mode), read over the REST API of a running server.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { systemClock } from '../../clock.js';
import { exportRegistry } from '../../registry/export-import.js';
import { optionValue } from '../args.js';
import type { Command, CommandContext } from '../command.js';
import { positionals } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { REGISTRY_OPTIONS, registryClient } from '../registry-options.js';
import { httpRegistryAdapter } from './http-registry-adapter.js';

export const exportCommand: Command = {
  name: 'export',
  summary: 'write every subject, version, schema (ids kept), config and mode as JSON',
  usage: 'export [--output FILE] [--registry URL] [options]',
  details: [
    'Reads a running registry through its REST API and writes one JSON document to --output (or',
    'standard output). Load it into an empty registry with `import`: ids, version numbers, soft',
    'deletions, configs and modes come back as they were.',
  ].join('\n'),
  options: [
    {
      name: 'output',
      kind: 'string',
      short: 'o',
      value: 'FILE',
      description: 'write here instead of stdout',
    },
    ...REGISTRY_OPTIONS,
  ],
  async run(ctx: CommandContext): Promise<number> {
    positionals(ctx, []);
    const source = httpRegistryAdapter(registryClient(ctx).http);
    const doc = await exportRegistry(source, systemClock);
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    const output = optionValue(ctx.args, 'output');
    if (output === undefined) {
      ctx.io.stdout(text);
    } else {
      const path = resolve(ctx.io.cwd, output);
      writeFileSync(path, text);
      const versions = doc.subjects.reduce((n, s) => n + s.versions.length, 0);
      ctx.io.stderr(`exported ${doc.subjects.length} subjects, ${versions} versions to ${path}\n`);
    }
    return EXIT.OK;
  },
};
