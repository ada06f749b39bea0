/** The shapes of the API answers the UI reads (see README's API section and docs/ui.md). */

export type CompatibilityLevel =
  | 'NONE'
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE';

export const LEVELS: readonly CompatibilityLevel[] = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
];

export type Mode = 'READWRITE' | 'READONLY' | 'READONLY_OVERRIDE' | 'IMPORT';
export const MODES: readonly Mode[] = ['READWRITE', 'READONLY', 'READONLY_OVERRIDE', 'IMPORT'];

export type SettingSource = 'subject' | 'global' | 'default';

export interface SubjectSummary {
  subject: string;
  versions: { live: number; deleted: number };
  latest: { version: number; id: number; semver: string; createdAt: number } | null;
  compatibilityLevel: CompatibilityLevel;
  compatibilitySource: SettingSource;
  mode: Mode;
  modeSource: SettingSource;
}

export interface SubjectSummaryPage {
  total: number;
  offset: number;
  limit: number;
  subjects: SubjectSummary[];
}

export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

export interface VersionDetail {
  subject: string;
  version: number;
  id: number;
  schema: string;
  schemaType?: string;
  references?: SchemaReference[];
  semver: string;
  deleted: boolean;
  fingerprints: { crc64: string; sha256: string };
  createdAt: number;
}

export interface Finding {
  type: string;
  location: string;
  message: string;
  position?: { line: number; column: number };
}

export interface DirectionVerdict {
  compatible: boolean;
  messages: string[];
  incompatibilities: Finding[];
}

export interface VersionCheck {
  version: number;
  id: number;
  semver: string;
  deleted: boolean;
  backward: DirectionVerdict;
  forward: DirectionVerdict;
}

export interface Explanation {
  subject: string;
  level: CompatibilityLevel;
  levelSource: SettingSource | 'request';
  candidate?: { version: number; id: number; semver: string; deleted: boolean };
  is_compatible: boolean;
  messages: string[];
  checks: VersionCheck[];
}

export interface SubjectPermissions {
  subject: string;
  read: boolean;
  register: boolean;
  delete: boolean;
  writeConfig: boolean;
  writeMode: boolean;
}

export interface AccessView {
  accessControl: boolean;
  user: string | null;
  role: string | null;
  global: { writeConfig: boolean; writeMode: boolean };
  subjects: SubjectPermissions[];
}

export interface SupportsView {
  range?: string;
  versions?: number[];
  fingerprints?: string[];
  schema?: boolean;
}

export interface Participant {
  id: string;
  role: 'reader' | 'writer' | 'both';
  expiresAt: number;
  canRead: number[];
  canWrite: number[];
  supports?: SupportsView;
}

export interface Agreement {
  subject: string;
  version: number | null;
  semver: string | null;
  id: number | null;
  epoch: number;
  degraded: boolean;
  reason?: string;
  fallbackFrom?: { version: number; semver: string };
  participants: Participant[];
  blocked: Array<{
    version: number;
    semver: string;
    blockers: Array<{ participant: string; reason: string }>;
  }>;
}
