/**
 * The web UI is bundled from ui/src at run time, and the Docker image ships ui/ without src/: the UI may
 * use the server's types (erased from the bundle) but never a value from src/, or the image's /ui/
 * would fail on its first request while every test here (which has src/) still passes.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { it } from 'node:test';

const UI_SRC = join(import.meta.dirname, '..', '..', 'ui', 'src');

function uiFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return uiFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Every `import … from '…'` / `export … from '…'` statement (multi-line ones included). */
const FROM = /^(import|export)\s([^;]*?)\sfrom\s+'([^']+)'/gms;

it('ui/src takes only types from the server (src/ is not in the image)', () => {
  const valueImports: string[] = [];
  let typeImports = 0;
  for (const file of uiFiles(UI_SRC)) {
    for (const [, keyword, clause = '', from = ''] of readFileSync(file, 'utf8').matchAll(FROM)) {
      if (!/(^|\/)src\//.test(from) || from.startsWith('./')) continue;
      if (clause.trimStart().startsWith('type ')) typeImports++;
      else valueImports.push(`${relative(UI_SRC, file)}: ${keyword} ${clause.trim()} from '${from}'`);
    }
  }
  assert.deepEqual(valueImports, [], 'value imports from src/ in the UI');
  assert.ok(typeImports > 0, 'the scan found the UI’s type imports from src/ (it looks at the right files)');
});
