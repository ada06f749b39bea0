/**
 * Checks presented secrets against the credentials in force (credentials.ts), remembering successful
 * password checks, and lets a reloaded credentials file take over atomically.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  type Credentials,
  type ParsedScrypt,
  SCRYPT_DEFAULTS,
  type UserEntry,
  verifyPassword,
} from './credentials.js';
import { KeyedDigest, sha256 } from './keyed-digest.js';

/** One version of the credentials with everything derived from it; replaced whole on a reload. */
interface AuthState {
  readonly credentials: Credentials;
  readonly byName: ReadonlyMap<string, UserEntry>;
  /** Verified name+password pairs, keyed by an HMAC of both; belongs to these credentials only. */
  readonly verified: Map<string, UserEntry>;
  readonly dummy: ParsedScrypt;
}

function authState(credentials: Credentials): AuthState {
  const byName = new Map<string, UserEntry>();
  for (const u of credentials.users) byName.set(u.name, u);
  // Unknown users still pay for one scrypt so response time does not reveal which names exist.
  const first = credentials.users.find((u) => u.passwordHash)?.passwordHash;
  const dummy = {
    N: first?.N ?? SCRYPT_DEFAULTS.N,
    r: first?.r ?? SCRYPT_DEFAULTS.r,
    p: first?.p ?? SCRYPT_DEFAULTS.p,
    salt: randomBytes(16),
    hash: randomBytes(32),
  };
  return { credentials, byName, verified: new Map(), dummy };
}

/**
 * Verifies presented secrets. Successful password checks are remembered (keyed by an HMAC under a
 * per-process key, never the password) because clients send Basic auth on every request and scrypt is
 * deliberately slow; failures are never cached so a changed password is not "remembered".
 *
 * `replace()` swaps in new credentials (a reloaded AUTH_FILE): the users, their rules and the record
 * of verified passwords are one state object, replaced in one assignment, so no request ever sees new
 * users with old verified passwords. A password check that was running across a swap is done again
 * against the new credentials before it counts.
 */
export class Authenticator {
  private state: AuthState;
  /** HMAC under a per-process key: what verified name+password pairs are remembered by. */
  private readonly verifiedDigest = new KeyedDigest();

  constructor(
    credentials: Credentials,
    private readonly cacheSize = 1024,
  ) {
    this.state = authState(credentials);
  }

  get credentials(): Credentials {
    return this.state.credentials;
  }

  /** Verified passwords remembered now (for tests and diagnostics). */
  get verifiedCount(): number {
    return this.state.verified.size;
  }

  /** New credentials in force from now on; every remembered verification is dropped with the old ones. */
  replace(credentials: Credentials): void {
    this.state = authState(credentials);
  }

  /**
   * The user when exactly these credentials were verified before (no scrypt): such a client is never
   * throttled for others' failures, since proving it needs the password. `credentials` is the text the
   * client sent them as (a Basic header's base64), so a repeat costs one HMAC and a Map lookup.
   */
  knownGood(credentials: string): UserEntry | undefined {
    return this.state.verified.get(this.verifiedDigest.digest(credentials));
  }

  /** Checks a name and password (scrypt); a success is remembered under `credentials` (see knownGood). */
  async checkPassword(
    name: string,
    password: string,
    credentials = `${name}:${password}`,
  ): Promise<UserEntry | undefined> {
    const state = this.state;
    const key = this.verifiedDigest.digest(credentials);
    const cached = state.verified.get(key);
    if (cached) return cached;
    const user = state.byName.get(name);
    const stored = user?.passwordHash ?? state.dummy;
    const ok = await verifyPassword(password, stored);
    // Checked against credentials replaced meanwhile: judge it again by the ones in force.
    if (state !== this.state) return this.checkPassword(name, password, credentials);
    if (!ok || !user?.passwordHash) return undefined;
    if (state.verified.size >= this.cacheSize) {
      const oldest = state.verified.keys().next().value;
      if (oldest !== undefined) state.verified.delete(oldest);
    }
    state.verified.set(key, user);
    return user;
  }

  checkToken(token: string): UserEntry | undefined {
    const digest = Buffer.from(sha256(token, 'binary'), 'latin1');
    let found: UserEntry | undefined;
    // No early exit: every stored digest is compared so timing does not depend on which one matched.
    for (const user of this.state.credentials.users) {
      for (const stored of user.tokenDigests) {
        if (timingSafeEqual(digest, stored) && !found) found = user;
      }
    }
    return found;
  }
}
