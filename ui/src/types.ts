/**
 * The shapes of the API answers the UI reads: the server's own view types (type-only imports, erased
 * from the bundle), so a change on either side that breaks the other fails the type check.
 */
import type { CompatibilityLevel } from '../../src/avro/types.js';
import type { DirectionVerdict, Mode } from '../../src/registry/registry-api.js';

export type { CompatibilityLevel, SchemaReference } from '../../src/avro/types.js';
export type { AccessView, SubjectPermissions } from '../../src/http/access-routes.js';
export type {
  DeclaredSupports as SupportsView,
  ParticipantView as Participant,
} from '../../src/negotiation/agreement.js';
export type { AgreementView as Agreement } from '../../src/negotiation/negotiation-views.js';
export type {
  CompatibilityExplanation as Explanation,
  DirectionVerdict,
  ExplainedVersionCheck as VersionCheck,
  Mode,
  SchemaVersionDetail as VersionDetail,
  SettingSource,
  SubjectSummaryPageView as SubjectSummaryPage,
  SubjectSummaryView as SubjectSummary,
} from '../../src/registry/registry-api.js';

export type Finding = DirectionVerdict['incompatibilities'][number];

/** The choices the forms offer (the server validates them again). */
export const LEVELS = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const satisfies readonly CompatibilityLevel[];

export const MODES = [
  'READWRITE',
  'READONLY',
  'READONLY_OVERRIDE',
  'IMPORT',
] as const satisfies readonly Mode[];

/**
 * The lists are copies (the bundle may not import values from the server's sources, which the image
 * does not ship); these fail the type check when the server gains a level or mode the forms lack.
 */
type Covers<All, Listed extends All> = [Exclude<All, Listed>] extends [never] ? true : false;
type MustHold<T extends true> = T;
export type ListsCoverTheServer = MustHold<Covers<CompatibilityLevel, (typeof LEVELS)[number]>> &
  MustHold<Covers<Mode, (typeof MODES)[number]>>;
