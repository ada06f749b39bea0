import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, DEFAULT_CONFIG, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('uses the documented defaults for an empty environment (blank counts as unset)', () => {
    const defaults = { ...DEFAULT_CONFIG, authFile: undefined, databaseUrl: undefined };
    assert.deepEqual(loadConfig({}), defaults);
    assert.deepEqual(loadConfig({ PORT: '', LOG_LEVEL: '  ', AUTH_FILE: '' }), defaults);
    assert.equal(DEFAULT_CONFIG.port, 8081);
    assert.equal(DEFAULT_CONFIG.databasePath, './data/registry.db');
    assert.equal(DEFAULT_CONFIG.defaultCompatibility, 'BACKWARD');
    assert.equal(DEFAULT_CONFIG.maxBodyBytes, 16 * 1024 * 1024);
  });

  it('reads every variable, normalising case', () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_PATH: ':memory:',
      DEFAULT_COMPATIBILITY: 'full_transitive',
      LOG_LEVEL: 'DEBUG',
      MAX_BODY_BYTES: '2048',
      AUTH_FILE: '/etc/registry/users.json',
      WORKERS: '4',
      DATABASE_URL: 'postgresql://registry:s3cret@db.internal:5433/registry?sslmode=require',
      PG_POOL_MAX: '20',
      DATABASE_CONNECT_TIMEOUT_S: '5',
      NEGOTIATION_MAX_PARTICIPANTS: '50',
      NEGOTIATION_MAX_WAITERS_PER_SUBJECT: '60',
      NEGOTIATION_MAX_WAITERS: '70',
      CACHE_MAX_BYTES: '67108864',
      LOGIN_FAILURE_LIMIT: '0',
      LOGIN_FAILURE_WINDOW_SECONDS: '300',
    });
    assert.deepEqual(config, {
      port: 0,
      host: '127.0.0.1',
      databasePath: ':memory:',
      defaultCompatibility: 'FULL_TRANSITIVE',
      logLevel: 'debug',
      maxBodyBytes: 2048,
      authFile: '/etc/registry/users.json',
      workers: 4,
      databaseUrl: 'postgresql://registry:s3cret@db.internal:5433/registry?sslmode=require',
      pgPoolMax: 20,
      databaseConnectTimeoutS: 5,
      maxParticipants: 50,
      maxWaitersPerSubject: 60,
      maxWaiters: 70,
      cacheMaxBytes: 64 * 1024 * 1024,
      loginFailureLimit: 0,
      loginFailureWindowSeconds: 300,
    });
  });

  const bad: Array<[string, string, RegExp]> = [
    ['PORT', '80a', /^Invalid PORT="80a": expected an integer from 0 to 65535$/],
    ['PORT', '70000', /^Invalid PORT="70000"/],
    ['PORT', '-1', /^Invalid PORT="-1"/],
    [
      'DEFAULT_COMPATIBILITY',
      'BACKWARDS',
      /^Invalid DEFAULT_COMPATIBILITY="BACKWARDS": expected one of NONE, /,
    ],
    ['LOG_LEVEL', 'verbose', /^Invalid LOG_LEVEL="verbose": expected one of fatal, error/],
    ['MAX_BODY_BYTES', '16MiB', /^Invalid MAX_BODY_BYTES="16MiB"/],
    ['MAX_BODY_BYTES', '10', /^Invalid MAX_BODY_BYTES="10": expected an integer from 1024/],
    ['WORKERS', '0', /^Invalid WORKERS="0": expected an integer from 1 to 64$/],
    ['PG_POOL_MAX', '0', /^Invalid PG_POOL_MAX="0"/],
    ['DATABASE_CONNECT_TIMEOUT_S', 'soon', /^Invalid DATABASE_CONNECT_TIMEOUT_S="soon"/],
    ['NEGOTIATION_MAX_PARTICIPANTS', '0', /^Invalid NEGOTIATION_MAX_PARTICIPANTS="0"/],
    [
      'DATABASE_URL',
      'mysql://root:hunter2@db/registry',
      /^Invalid DATABASE_URL: the scheme must be postgres/,
    ],
    ['DATABASE_URL', 'postgres//root:hunter2@db', /^Invalid DATABASE_URL: not a URL/],
    ['DATABASE_URL', 'postgres://root:hunter2@:5432/x', /^Invalid DATABASE_URL/],
    ['CACHE_MAX_BYTES', '256MiB', /^Invalid CACHE_MAX_BYTES="256MiB": expected an integer from 1048576 to /],
    ['CACHE_MAX_BYTES', '1000', /^Invalid CACHE_MAX_BYTES="1000"/],
    [
      'LOGIN_FAILURE_LIMIT',
      '-1',
      /^Invalid LOGIN_FAILURE_LIMIT="-1": expected an integer from 0 to 1000000$/,
    ],
    [
      'LOGIN_FAILURE_WINDOW_SECONDS',
      '0',
      /^Invalid LOGIN_FAILURE_WINDOW_SECONDS="0": expected an integer from 1 to 86400$/,
    ],
  ];
  for (const [name, value, message] of bad) {
    it(`refuses ${name}=${value} with one line naming the variable and exit code 2`, () => {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (e: unknown) =>
          e instanceof ConfigError &&
          message.test(e.message) &&
          !e.message.includes('\n') &&
          !e.message.includes('hunter2') &&
          e.exitCode === 2,
      );
    });
  }
});
