/**
 * `move-to-postgres`: copies a SQLite registry into an empty PostgreSQL database, every row as it is
 * (ids, versions, timestamps, configs, modes, leases, agreements and the id high-water mark), so the
 * same registry can then run as several instances on `DATABASE_URL`.
 */
import { resolve } from 'node:path';
import { moveToPostgres } from '../../storage/move-to-postgres.js';
import { optionValue, usage } from '../args.js';
import type { Command, CommandContext } from '../command.js';
import { emit } from '../command.js';
import { EXIT } from '../exit-codes.js';

export const moveToPostgresCommand: Command = {
  name: 'move-to-postgres',
  summary: 'copy a SQLite registry into an empty PostgreSQL database (every id, version, setting, lease)',
  usage: 'move-to-postgres --to URL [--db PATH] [options]',
  details: [
    'Stop the registry servers on the SQLite file first (the copy is a consistent snapshot either way,',
    'but writes made after it would stay behind). The target database must be empty; it is migrated,',
    'then filled in one transaction: on any error nothing is written. Then start the servers with',
    'DATABASE_URL set to the same URL. See docs/operations.md, "Scale-out".',
  ].join('\n'),
  options: [
    {
      name: 'db',
      kind: 'string',
      value: 'PATH',
      description: 'SQLite file (default $DATABASE_PATH or ./data/registry.db)',
    },
    {
      name: 'to',
      kind: 'string',
      value: 'URL',
      description: 'postgres://user:password@host:port/database (default $DATABASE_URL)',
    },
  ],
  async run(ctx: CommandContext): Promise<number> {
    const db = optionValue(ctx.args, 'db') ?? ctx.io.env.DATABASE_PATH ?? './data/registry.db';
    if (db === ':memory:') throw usage('an in-memory database cannot be moved from another process');
    const url = optionValue(ctx.args, 'to') ?? ctx.io.env.DATABASE_URL;
    if (url === undefined || !/^postgres(ql)?:\/\//.test(url)) {
      throw usage('--to needs a postgres://user:password@host:port/database URL (or set DATABASE_URL)');
    }
    const source = resolve(ctx.io.cwd, db);
    const summary = await moveToPostgres(source, url);
    const total = Object.values(summary.rows).reduce((a, b) => a + b, 0);
    emit(
      ctx,
      [
        `moved ${source} to PostgreSQL: ${total} rows`,
        ...Object.entries(summary.rows).map(([table, n]) => `  ${table}: ${n}`),
        `  id high-water mark: ${summary.maxSchemaId}`,
      ],
      { ok: true, source, ...summary },
    );
    return EXIT.OK;
  },
};
