/**
 * Who may call which route: ONE table from (method, route template) to an access rule, and the pure
 * decision over it. Nothing here parses a request path: the router matches a request to a route (case
 * sensitively, see guarded-router.ts), and the route's own guard asks this table with the template it was
 * registered under and the parameters the router decoded. So the rule applied is always the rule of the
 * route that runs; a route missing from the table cannot be registered at all (deny by default), and
 * the pre-router fast path (fast-path.ts) consults the same table for every route it answers.
 *
 * No express import: the fast path (and, later, a credential check in front of Express) reuse it as is.
 */
import {
  type Access,
  accessAllows,
  type Credentials,
  type Role,
  subjectAccess,
  type UserEntry,
} from '../auth/credentials.js';

/** What one request needs, once the route's rule is applied to its parameters. */
export type Requirement =
  | { readonly kind: 'public' }
  | { readonly kind: 'role'; readonly role: Role }
  | { readonly kind: 'subject'; readonly subject: string; readonly access: 'read' | 'write' };

/** A route's rule: a requirement, or how to derive one from the route's `:subject` parameter. */
export type AccessRule =
  | { readonly kind: 'public' }
  | { readonly kind: 'role'; readonly role: Role }
  | { readonly kind: 'subject'; readonly access: 'read' | 'write' };

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
/** Rules by route template, then by method; HEAD follows GET (Express serves HEAD with GET handlers). */
export type RouteRules = Readonly<Record<string, Readonly<Partial<Record<RouteMethod, AccessRule>>>>>;

/** Path parameters as the router decoded them (Express types allow arrays for wildcard parameters). */
export type RouteParams = Readonly<Record<string, string | readonly string[] | undefined>>;

export const PUBLIC: AccessRule = { kind: 'public' };
/** Any valid identity: every role includes read. */
export const READ: AccessRule = { kind: 'role', role: 'read' };
export const WRITE: AccessRule = { kind: 'role', role: 'write' };
/** Global config, every mode change (IMPORT lets a caller choose ids, READONLY locks writers out), /admin writes. */
export const ADMIN: AccessRule = { kind: 'role', role: 'admin' };
/** Read access to the route's `:subject` (the prefix rules decide). */
export const SUBJECT_READ: AccessRule = { kind: 'subject', access: 'read' };
/** Write access to the route's `:subject`: register, delete, subject config. */
export const SUBJECT_WRITE: AccessRule = { kind: 'subject', access: 'write' };

const NEGOTIATION = '/negotiation/subjects/:subject';

/**
 * Every route the registry serves. Lookups, compatibility tests, validation and negotiation (how readers
 * declare what they can read) are reads of the subject; cross-subject listings need only the read role.
 */
export const ROUTE_ACCESS: RouteRules = {
  // Mounted before authentication: probes of orchestrators carry no credentials.
  '/health/live': { GET: PUBLIC },
  '/health/ready': { GET: PUBLIC },
  '/metrics': { GET: READ },

  '/': { GET: READ, POST: WRITE },
  '/schemas/types': { GET: READ },
  '/contexts': { GET: READ },
  '/v1/metadata/id': { GET: READ },
  '/v1/metadata/version': { GET: READ },
  '/associations/resources/:namespace/:name': { GET: READ },

  '/schemas': { GET: READ },
  '/schemas/ids/:id': { GET: READ },
  '/schemas/ids/:id/schema': { GET: READ },
  '/schemas/ids/:id/subjects': { GET: READ },
  '/schemas/ids/:id/versions': { GET: READ },

  '/subjects': { GET: READ },
  '/subjects/:subject': { POST: SUBJECT_READ, DELETE: SUBJECT_WRITE },
  '/subjects/:subject/versions': { GET: SUBJECT_READ, POST: SUBJECT_WRITE },
  '/subjects/:subject/versions/:version': { GET: SUBJECT_READ, DELETE: SUBJECT_WRITE },
  '/subjects/:subject/versions/:version/schema': { GET: SUBJECT_READ },
  '/subjects/:subject/versions/:version/referencedby': { GET: SUBJECT_READ },
  '/subjects/:subject/versions/:version/validate': { POST: SUBJECT_READ },

  '/compatibility/subjects/:subject/versions': { POST: SUBJECT_READ },
  '/compatibility/subjects/:subject/versions/:version': { POST: SUBJECT_READ },

  '/config': { GET: READ, PUT: ADMIN, DELETE: ADMIN },
  '/config/:subject': { GET: SUBJECT_READ, PUT: SUBJECT_WRITE, DELETE: SUBJECT_WRITE },
  '/mode': { GET: READ, PUT: ADMIN, DELETE: ADMIN },
  '/mode/:subject': { GET: SUBJECT_READ, PUT: ADMIN, DELETE: ADMIN },

  // Export reads the state like any listing; raising the id high-water mark is an import, admin only.
  '/admin/state': { GET: READ },
  '/admin/max-schema-id': { PUT: ADMIN },

  [NEGOTIATION]: { POST: SUBJECT_READ },
  [`${NEGOTIATION}/versions`]: { GET: SUBJECT_READ },
  [`${NEGOTIATION}/semver/:label`]: { GET: SUBJECT_READ },
  [`${NEGOTIATION}/participants/:participantId`]: { PUT: SUBJECT_READ, DELETE: SUBJECT_READ },
  [`${NEGOTIATION}/agreement`]: { GET: SUBJECT_READ },

  // Dashboards and tools (docs/ui.md): a cross-subject listing like /subjects, a subject read, and what
  // the caller itself may do.
  '/catalog/subjects': { GET: READ },
  '/compatibility/subjects/:subject/explain': { POST: SUBJECT_READ },
  '/users/me': { GET: READ },

  // Mounted before authentication: the web UI's page and code, and the API document with its page. The
  // data the UI shows comes from the API above, with the user's own credentials.
  '/ui': { GET: PUBLIC },
  '/ui/': { GET: PUBLIC },
  '/ui/assets/:name': { GET: PUBLIC },
  '/openapi.json': { GET: PUBLIC },
  '/docs': { GET: PUBLIC },
  '/docs/assets/:file': { GET: PUBLIC },
};

/** The rule of a route, or undefined when the table has none (such a route cannot be registered). */
export function accessRuleFor(
  method: string,
  template: string,
  rules: RouteRules = ROUTE_ACCESS,
): AccessRule | undefined {
  const m = method.toUpperCase();
  const byMethod = Object.hasOwn(rules, template) ? rules[template] : undefined;
  if (byMethod === undefined) return undefined;
  const key = (m === 'HEAD' ? 'GET' : m) as RouteMethod;
  return Object.hasOwn(byMethod, key) ? byMethod[key] : undefined;
}

/**
 * A rule applied to the parameters the router decoded for the request (`%2F` already `/`). A subject
 * rule on a route without a `:subject` value yields undefined: nothing is allowed on a guess.
 */
export function requirementOf(rule: AccessRule, params: RouteParams): Requirement | undefined {
  if (rule.kind !== 'subject') return rule;
  const subject = params.subject;
  return typeof subject === 'string' ? { kind: 'subject', subject, access: rule.access } : undefined;
}

/**
 * The requirement of a request that the router matched to `template` with `params`; undefined (deny)
 * for a (method, template) the table does not know.
 */
export function requirementFor(
  method: string,
  template: string,
  params: RouteParams,
): Requirement | undefined {
  const rule = accessRuleFor(method, template);
  return rule === undefined ? undefined : requirementOf(rule, params);
}

/** What the authentication step hands the guards: the identity and what it may do. */
export interface AccessContext {
  readonly name: string;
  readonly role: Role;
  allows(need: Requirement | undefined): boolean;
  /** The 403 message for a refused requirement (names the user and the subject, never a secret). */
  denial(need: Requirement | undefined): string;
}

const ROLE_RANK: Record<Role, number> = { read: 1, write: 2, admin: 3 };

export function isAllowed(credentials: Credentials, user: UserEntry, need: Requirement | undefined): boolean {
  if (need === undefined) return false;
  if (need.kind === 'public') return true;
  if (need.kind === 'role') return ROLE_RANK[user.role] >= ROLE_RANK[need.role];
  const have: Access = subjectAccess(credentials, user, need.subject);
  return accessAllows(have, need.access);
}

export function denialMessage(user: { readonly name: string }, need: Requirement | undefined): string {
  if (need?.kind === 'subject') return `User '${user.name}' may not ${need.access} subject '${need.subject}'`;
  if (need?.kind === 'role') return `User '${user.name}' needs the ${need.role} role for this operation`;
  return `User '${user.name}' may not do this`;
}

/** The access context of an authenticated user under a credentials file. */
export function accessFor(credentials: Credentials, user: UserEntry): AccessContext {
  return {
    name: user.name,
    role: user.role,
    allows: (need) => isAllowed(credentials, user, need),
    denial: (need) => denialMessage(user, need),
  };
}
