/**
 * `hash-password`: makes the secrets for the credentials file (AUTH_FILE). The password is read from
 * standard input, never from the command line, so it stays out of shell history and `ps`.
 */
import { generateToken, hashPassword } from '../../auth/credentials.js';
import { optionValue, usage } from '../args.js';
import type { Command, CommandContext } from '../command.js';
import { emit, positionals } from '../command.js';
import { EXIT } from '../exit-codes.js';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    process.stderr.write('Password (input is shown; pipe it in to avoid that): ');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (process.stdin.isTTY && chunk.includes(10)) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}

export const hashPasswordCommand: Command = {
  name: 'hash-password',
  summary: 'hash a password (read from stdin) or mint a bearer token for the AUTH_FILE credentials',
  usage: 'hash-password [--token] [options]',
  details: [
    'Prints a `scrypt$N$r$p$salt$hash` string for a user\'s "password" entry. The password is the first',
    'line of standard input, e.g.  printf %s "$PW" | proximadb-registry hash-password',
    'With --token, prints a fresh random bearer token (give it to the client) and the sha256 hash to',
    'store in the user\'s "tokens" list; nothing is read from stdin.',
  ].join('\n'),
  options: [
    { name: 'token', kind: 'boolean', description: 'mint a bearer token instead of hashing a password' },
    { name: 'cost', kind: 'string', value: 'N', description: 'scrypt N, a power of two (default 16384)' },
  ],
  async run(ctx: CommandContext): Promise<number> {
    positionals(ctx, []);
    if (ctx.args.flags.has('token')) {
      const { token, hash } = generateToken();
      emit(ctx, [`token: ${token}`, `hash:  ${hash}`], { ok: true, token, hash });
      return EXIT.OK;
    }
    const costText = optionValue(ctx.args, 'cost');
    const N = costText === undefined ? undefined : Number(costText);
    if (N !== undefined && !(Number.isInteger(N) && N >= 2 && (N & (N - 1)) === 0 && N <= 1 << 20)) {
      throw usage(`--cost must be a power of two from 2 to ${1 << 20}`);
    }
    const password = (await readStdin()).split(/\r?\n/)[0] ?? '';
    if (password === '') throw usage('no password on standard input');
    const hash = await hashPassword(password, N === undefined ? {} : { N });
    emit(ctx, [hash], { ok: true, hash });
    return EXIT.OK;
  },
};
