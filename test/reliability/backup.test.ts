/**
 * `backup` makes a hot copy of a served SQLite file that then serves byte-identical answers (SQLite
 * only: a PostgreSQL registry is backed up with the database's own tools, see docs/operations.md).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { backupCommand } from '../../src/cli/commands/backup.js';
import { populate, registryFixture, snapshot } from './registry-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'backup-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const { serve, runCommand } = registryFixture(dir);

test('backup: a hot copy of a served file serves the same answers', async () => {
  const live = await serve(join(dir, 'live.db'));
  await populate(live.url);
  const copy = join(dir, 'copy.db');
  const res = await runCommand(backupCommand, [copy, '--db', join(dir, 'live.db')]);
  assert.equal(res.code, 0, res.err);
  await assert.rejects(runCommand(backupCommand, [copy, '--db', join(dir, 'live.db')]), /already exists/);
  const restored = await serve(copy);
  const a = await snapshot(live.url);
  const b = await snapshot(restored.url);
  for (const [path, answer] of a) assert.equal(b.get(path), answer, path);
});
