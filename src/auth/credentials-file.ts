/**
 * The credentials file (`AUTH_FILE`) as a live source: read at start-up, then looked at again at most
 * once a second (its inode, size and modification times, one `stat`) by the first request that needs
 * authentication, and re-read when it changed; `reload()` re-reads it at once (SIGHUP). A new file
 * takes over atomically (Authenticator.replace: users, rules and every remembered password
 * verification are swapped in one step). A file that does not load (half written, broken JSON, a bad
 * hash) changes nothing: the credentials in force stay, the error is logged (it names the place in the
 * file, never a secret), and the next change of the file is tried again.
 *
 * Looking from the request path instead of a timer keeps it deterministic under the injected clock
 * and costs one comparison per request; with `WORKERS` every process looks for itself.
 */
import { statSync } from 'node:fs';
import type { Clock } from '../clock.js';
import { Authenticator } from './authenticator.js';
import { loadCredentialsFile } from './credentials.js';

export interface CredentialsFileLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface CredentialsFileOptions {
  readonly clock: Clock;
  readonly logger?: CredentialsFileLogger;
  /** Least time between two looks at the file (default 1000 ms). */
  readonly checkIntervalMs?: number;
}

/** What identifies one version of the file without reading it ('' when it cannot be stat'ed). */
function signatureOf(path: string): string {
  try {
    const s = statSync(path, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch (e) {
    return `missing:${(e as NodeJS.ErrnoException).code ?? 'error'}`;
  }
}

export class CredentialsFile {
  readonly authenticator: Authenticator;
  /** How many times new credentials took over since start-up. */
  reloads = 0;
  private seen: string;
  private checkedAt: number;
  private readonly interval: number;

  /** Reads the file; a broken one throws (CredentialsError) so that start-up stops. */
  constructor(
    readonly path: string,
    private readonly options: CredentialsFileOptions,
  ) {
    // The signature first: a change landing between it and the read is seen as a change next time.
    this.seen = signatureOf(path);
    this.authenticator = new Authenticator(loadCredentialsFile(path));
    this.checkedAt = options.clock.now();
    this.interval = options.checkIntervalMs ?? 1000;
  }

  /** Called before a request is authenticated: re-reads the file if it changed (looked at ≤ once a second). */
  refresh(): void {
    const now = this.options.clock.now();
    if (now - this.checkedAt < this.interval && now >= this.checkedAt) return;
    this.checkedAt = now;
    const signature = signatureOf(this.path);
    if (signature === this.seen) return;
    this.seen = signature;
    this.load('the file changed');
  }

  /** Re-reads the file now (SIGHUP); true when its credentials are in force afterwards. */
  reload(): boolean {
    this.seen = signatureOf(this.path);
    this.checkedAt = this.options.clock.now();
    return this.load('reload requested');
  }

  private load(why: string): boolean {
    try {
      const credentials = loadCredentialsFile(this.path);
      this.authenticator.replace(credentials);
      this.reloads++;
      this.options.logger?.info(
        { authFile: this.path, users: credentials.users.length },
        `Credentials reloaded (${why}); remembered logins dropped`,
      );
      return true;
    } catch (e) {
      // CredentialsError messages name the place in the file, never its secrets.
      this.options.logger?.error(
        { authFile: this.path },
        `Credentials not reloaded (${why}), the ones loaded before stay in force: ${(e as Error).message}`,
      );
      return false;
    }
  }
}
