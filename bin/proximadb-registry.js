#!/usr/bin/env node
// Launcher for the CLI: the TypeScript sources via tsx in a checkout (where a dist/ left by an earlier
// `npm run build` or `npm start` may be stale), the compiled build where no sources ship (Docker image).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src', 'cli', 'main.ts');
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(source).href);
} else {
  await import(pathToFileURL(join(root, 'dist', 'cli', 'main.js')).href);
}
