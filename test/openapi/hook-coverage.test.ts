/**
 * Every test file (under test/, beside the code in src/, and the UI's browser-test harness in
 * ui/testing/) that builds a registry server in-process also applies the response-validation hook
 * (or gets its server from a harness that does), so no HTTP suite escapes the document check. Servers
 * started as child processes are checked by their client instead (process-harness.ts `call`).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { it } from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..');
const HOOK = /\bcheckResponses\(|\bcheckListener\(/;
/** Building a server: the composition root, or the entry point's `startRegistry` (src/index.ts). */
const BUILDS = /\bcreateRegistryServer\(/;
const STARTS = /from '(\.\.\/)+src\/index\.js'/;
/** Files allowed to build an unchecked server, with the reason (checked elsewhere, or it would skew them). */
const EXEMPT: Readonly<Record<string, string>> = {
  // Measures the heap: compiling the document's schemas would be counted as growth.
  'test/reliability/memory-scenario.ts': 'a heap measurement; its requests are checked by other suites',
};

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

it('every test file that creates a registry server in-process checks its responses', () => {
  const unhooked: string[] = [];
  // ui/testing/ holds the browser tests' registry harness; unit tests beside the code may build one too.
  const unitTests = files(join(ROOT, 'src')).filter((f) => f.endsWith('.test.ts'));
  for (const file of [...files(join(ROOT, 'test')), ...files(join(ROOT, 'ui', 'testing')), ...unitTests]) {
    const text = readFileSync(file, 'utf8');
    const builds = BUILDS.test(text) || (STARTS.test(text) && /\bstartRegistry\(/.test(text));
    const name = relative(ROOT, file);
    if (builds && !HOOK.test(text) && !Object.hasOwn(EXEMPT, name)) unhooked.push(name);
  }
  assert.deepEqual(
    unhooked,
    [],
    'wrap these servers with checkResponses() from test/support/openapi-responses.ts (or use a hooked harness)',
  );
});
