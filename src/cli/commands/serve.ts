/**
 * `serve`: starts the registry in this process. The server is loaded with a dynamic import so that every
 * other command (and the CLI's type graph) stays free of Express and SQLite.
 */
import { optionValue } from '../args.js';
import { type Command, positionals } from '../command.js';
import { EXIT } from '../exit-codes.js';

/** CLI option → the server's environment variable (see src/config.ts); the options win over the env. */
const ENV_OF = {
  port: 'PORT',
  host: 'HOST',
  db: 'DATABASE_PATH',
  'default-compatibility': 'DEFAULT_COMPATIBILITY',
  'log-level': 'LOG_LEVEL',
  'auth-file': 'AUTH_FILE',
  workers: 'WORKERS',
} as const;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'start the schema registry service',
  usage: 'serve [--port N] [--host H] [--db PATH] [options]',
  details: [
    'Starts the registry (Ctrl-C or SIGTERM drains in-flight requests and exits 0). Options override the',
    'environment variables the server reads: PORT, HOST, DATABASE_PATH, DEFAULT_COMPATIBILITY, LOG_LEVEL,',
    'AUTH_FILE, WORKERS. DATABASE_URL (PostgreSQL, several instances) is read from the environment only:',
    'a password on the command line would show in every process listing.',
  ].join('\n'),
  options: [
    {
      name: 'port',
      kind: 'string',
      value: 'N',
      description: 'port to listen on (default 8081; 0 = any free port)',
    },
    { name: 'host', kind: 'string', value: 'HOST', description: 'interface to bind (default 0.0.0.0)' },
    { name: 'db', kind: 'string', value: 'PATH', description: 'SQLite database file, or :memory:' },
    { name: 'default-compatibility', kind: 'string', value: 'LEVEL', description: 'global default level' },
    {
      name: 'log-level',
      kind: 'string',
      value: 'LEVEL',
      description: 'fatal|error|warn|info|debug|trace|silent',
    },
    {
      name: 'auth-file',
      kind: 'string',
      value: 'PATH',
      description: 'credentials file (enables access control)',
    },
    { name: 'workers', kind: 'string', value: 'N', description: 'server processes sharing the database' },
  ],
  async run(ctx) {
    positionals(ctx, []);
    const env: Record<string, string | undefined> = { ...ctx.io.env };
    for (const [option, variable] of Object.entries(ENV_OF)) {
      const value = optionValue(ctx.args, option);
      if (value !== undefined) env[variable] = value;
    }
    const entry = await import('../../index.js');
    // main() prints its own one-line start-up errors and owns the process from here (signals, exit).
    await entry.main(env as NodeJS.ProcessEnv);
    return EXIT.OK;
  },
};
