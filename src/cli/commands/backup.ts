/**
 * `backup`: a hot, consistent copy of the registry's SQLite file while servers keep running (SQLite's
 * online backup API), checked with `quick_check` before it is put in place.
 */
import { resolve } from 'node:path';
import { DomainError } from '../../errors.js';
import { backupFile, IntegrityError } from '../../storage/sqlite/integrity.js';
import { optionValue, usage } from '../args.js';
import type { Command, CommandContext } from '../command.js';
import { emit, positionals } from '../command.js';
import { EXIT } from '../exit-codes.js';

export const backupCommand: Command = {
  name: 'backup',
  summary: 'copy the live registry database file to DEST (online, consistent, checked)',
  usage: 'backup DEST [--db PATH] [--overwrite] [options]',
  details: [
    "Reads the database at --db (default $DATABASE_PATH, else ./data/registry.db) through SQLite's",
    'backup API, so running servers are not stopped. The copy is a single self-contained file: restore',
    'it by stopping the servers and moving it to DATABASE_PATH (remove any -wal/-shm files beside it).',
  ].join('\n'),
  options: [
    { name: 'db', kind: 'string', value: 'PATH', description: 'database file to copy' },
    { name: 'overwrite', kind: 'boolean', description: 'replace DEST if it exists' },
  ],
  async run(ctx: CommandContext): Promise<number> {
    const [dest] = positionals(ctx, ['DEST']);
    const db = optionValue(ctx.args, 'db') ?? ctx.io.env.DATABASE_PATH ?? './data/registry.db';
    if (db === ':memory:') throw usage('an in-memory database cannot be backed up from another process');
    const src = resolve(ctx.io.cwd, db);
    const target = resolve(ctx.io.cwd, dest ?? '');
    try {
      const { pages } = await backupFile(src, target, { overwrite: ctx.args.flags.has('overwrite') });
      emit(ctx, [`backed up ${src} to ${target} (${pages} pages)`], {
        ok: true,
        source: src,
        dest: target,
        pages,
      });
      return EXIT.OK;
    } catch (e) {
      if (e instanceof IntegrityError) throw new DomainError('STORE_ERROR', e.message);
      throw usage(`backup failed: ${(e as Error).message}`);
    }
  },
};
