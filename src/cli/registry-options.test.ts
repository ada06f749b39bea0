import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs } from './args.js';
import { COMMON_OPTIONS, type CommandContext } from './command.js';
import { REGISTRY_OPTIONS, registryClient, registryUrl } from './registry-options.js';

function ctx(argv: string[], env: Record<string, string>): CommandContext {
  return {
    io: { cwd: '/', env, stdout: () => {}, stderr: () => {} },
    args: parseArgs(argv, [...REGISTRY_OPTIONS, ...COMMON_OPTIONS]),
    format: 'human',
  };
}

test('one convention: --registry, then $PROXIMADB_REGISTRY_URL, then $SCHEMA_REGISTRY_URL', () => {
  const env = { PROXIMADB_REGISTRY_URL: 'http://ours:1', SCHEMA_REGISTRY_URL: 'http://theirs:2' };
  assert.equal(registryUrl(ctx(['--registry', 'http://flag:3'], env)), 'http://flag:3');
  assert.equal(registryUrl(ctx([], env)), 'http://ours:1');
  assert.equal(registryUrl(ctx([], { SCHEMA_REGISTRY_URL: 'http://theirs:2' })), 'http://theirs:2');
  assert.equal(
    registryUrl(ctx([], { PROXIMADB_REGISTRY_URL: '', SCHEMA_REGISTRY_URL: 'http://t:2' })),
    'http://t:2',
  );
  assert.equal(registryUrl(ctx([], {})), undefined);
  assert.equal(
    registryClient(ctx([], { SCHEMA_REGISTRY_URL: 'http://theirs:2/' })).http.baseUrl,
    'http://theirs:2',
  );
});

test('messages name where a bad URL came from, and what to set when none is given', () => {
  assert.throws(
    () => registryClient(ctx([], {})),
    /pass --registry URL or set PROXIMADB_REGISTRY_URL \(or SCHEMA_REGISTRY_URL\)/,
  );
  assert.throws(
    () => registryClient(ctx(['--registry', 'nope'], {})),
    /: --registry: not a valid URL: nope$/,
  );
  assert.throws(
    () => registryClient(ctx([], { SCHEMA_REGISTRY_URL: 'ftp://x' })),
    /\$SCHEMA_REGISTRY_URL: expected an http\(s\) URL, got ftp:\/\/x/,
  );
});

test('--help for every registry command documents the URL fallback and the token variable', () => {
  const help = REGISTRY_OPTIONS.find((o) => o.name === 'registry')?.description ?? '';
  assert.match(help, /\$PROXIMADB_REGISTRY_URL, else \$SCHEMA_REGISTRY_URL/);
  assert.match(help, /\$PROXIMADB_REGISTRY_TOKEN/);
});
