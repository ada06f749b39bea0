/**
 * `import`: loads an `export` document into an EMPTY registry through IMPORT mode, keeping ids and
 * version numbers, then restores soft deletions, configs and modes.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { importRegistry, parseExport } from '../../registry/export-import.js';
import { usage } from '../args.js';
import type { Command, CommandContext } from '../command.js';
import { emit, positionals } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { REGISTRY_OPTIONS, registryClient } from '../registry-options.js';
import { httpRegistryAdapter } from './http-registry-adapter.js';

export const importCommand: Command = {
  name: 'import',
  summary: 'load an export file into an empty registry (ids and versions kept)',
  usage: 'import FILE [--registry URL] [options]',
  details: [
    'The target registry must have no subjects. Switches it to IMPORT mode, registers every version with',
    'its original id and number, re-applies soft deletions, then restores configs and the modes recorded',
    'in the file. Needs the admin role when the registry requires credentials.',
  ].join('\n'),
  options: [...REGISTRY_OPTIONS],
  async run(ctx: CommandContext): Promise<number> {
    const [file] = positionals(ctx, ['FILE']);
    const path = resolve(ctx.io.cwd, file ?? '');
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw usage(`cannot read export file ${path}: ${(e as Error).message}`);
    }
    const summary = await importRegistry(httpRegistryAdapter(registryClient(ctx).http), parseExport(doc));
    emit(
      ctx,
      [
        `imported ${summary.subjects} subjects, ${summary.versions} versions (${summary.deleted} soft-deleted)`,
      ],
      { ok: true, ...summary },
    );
    return EXIT.OK;
  },
};
