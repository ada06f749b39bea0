/** Where the repository's copy of the OpenAPI document lives, and the text it must hold. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiJson } from '../../src/http/openapi/document.js';

const ROOT = join(import.meta.dirname, '..', '..');
export const DOCUMENT_FILE = join(ROOT, 'docs', 'openapi.json');

/** The package version, as the server reports it in `info.version` (server.ts reads the same file). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Exactly what `GET /openapi.json` serves. */
export function documentText(): string {
  return openApiJson({ version: packageVersion() });
}
