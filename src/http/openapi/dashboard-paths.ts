/**
 * The general-purpose endpoints the web UI relies on, usable by any client: subject summaries
 * (subject-summary-routes.ts), a pairwise compatibility report (compatibility-explain-routes.ts) and
 * what the caller may do (access-routes.ts). Their shapes are in dashboard-schemas.ts.
 */

import {
  DEFAULT_SUMMARY_LIMIT,
  MAX_FILTER_LENGTH,
  MAX_SUMMARY_LIMIT,
} from '../../registry/subject-summaries.js';
import { MAX_SUBJECTS_PER_REQUEST } from '../access-routes.js';
import { jsonContent } from './media.js';
import { flag, operation, query, SUBJECT } from './operation.js';
import { ref } from './schema-kit.js';

export function dashboardPaths(): Record<string, Record<string, unknown>> {
  return {
    '/catalog/subjects': {
      get: operation({
        operationId: 'listSubjectSummaries',
        tag: 'Catalog',
        summary: 'A page of subject summaries: counts, latest version, effective level and mode',
        description:
          "Subjects ordered by name (binary), filtered by `prefix` and/or `contains`; each with its live and soft-deleted version counts, its newest live version, and its effective compatibility level and mode with where each comes from. One store query per page, so it stays fast at any number of subjects. Confluent's `GET /subjects` is unchanged.",
        permission: 'read',
        parameters: [
          query(
            'prefix',
            `Only subjects starting with this (case-sensitive); empty means no filter. Longer than ${MAX_FILTER_LENGTH} characters: 400.`,
            { type: 'string', maxLength: MAX_FILTER_LENGTH },
          ),
          query(
            'contains',
            `Only subjects containing this (ASCII letters compared case-insensitively, every other character exactly); empty means no filter. Longer than ${MAX_FILTER_LENGTH} characters: 400.`,
            { type: 'string', maxLength: MAX_FILTER_LENGTH },
          ),
          flag('deleted', 'Also subjects whose versions are all soft-deleted.'),
          query('offset', 'Subjects to skip: an integer ≥ 0 (else 400).', {
            type: 'integer',
            format: 'int32',
            minimum: 0,
            default: 0,
          }),
          query('limit', `Most subjects to return: an integer in [1, ${MAX_SUMMARY_LIMIT}] (else 400).`, {
            type: 'integer',
            format: 'int32',
            minimum: 1,
            maximum: MAX_SUMMARY_LIMIT,
            default: DEFAULT_SUMMARY_LIMIT,
          }),
        ],
        ok: { description: 'The page.', content: jsonContent(ref('SubjectSummaryPage')) },
      }),
    },
    '/compatibility/subjects/{subject}/explain': {
      post: operation({
        operationId: 'explainCompatibility',
        tag: 'Compatibility',
        summary: 'A pairwise compatibility report: the verdict, and both directions per version',
        description:
          "The candidate (submitted text, or a stored version) against one version, every live one, or those the level looks at. `is_compatible` and `messages` are exactly what `POST /compatibility/subjects/{subject}/versions[/{version}]?verbose=true` answers for the same candidate, level and versions; `checks` adds, for each version checked, both directions whatever the level with Java's findings and, for submitted text, where each sits in it. A subject without versions is compatible, with nothing checked. Nothing is written. A submitted schema that does not parse is 422/42201 (42209 for a limit) with `position` when the place is known.",
        permission: 'subject:read',
        parameters: [SUBJECT],
        body: {
          schema: ref('ExplainRequest'),
          required: true,
          description: 'The candidate and what to check.',
        },
        ok: { description: 'The report.', content: jsonContent(ref('CompatibilityExplanation')) },
        errors: [
          'UNPROCESSABLE',
          'INVALID_SCHEMA',
          'SCHEMA_TOO_LARGE',
          'INVALID_VERSION',
          'INVALID_COMPATIBILITY_LEVEL',
          'SUBJECT_NOT_FOUND',
          'VERSION_NOT_FOUND',
        ],
        errorBodies: { INVALID_SCHEMA: ref('SchemaParseError'), SCHEMA_TOO_LARGE: ref('SchemaLimitError') },
      }),
    },
    '/users/me': {
      get: operation({
        operationId: 'getMyAccess',
        tag: 'Access',
        summary: 'Who the caller is and what it may do',
        description:
          "Each flag is the access middleware's own decision for a representative request (`GET /subjects/{s}/versions`, `POST /subjects/{s}/versions`, `DELETE /subjects/{s}`, `PUT /config/{s}`, `PUT /mode/{s}`, `PUT /config`, `PUT /mode`), so the two cannot disagree. Without access control: `accessControl` false, `user` and `role` null, everything true. Reads no data.",
        permission: 'read',
        storage: false,
        parameters: [
          query(
            'subject',
            `A subject to report on; repeat it for several (duplicates are reported once). More than ${MAX_SUBJECTS_PER_REQUEST}: 400.`,
            { type: 'array', items: { type: 'string' }, maxItems: MAX_SUBJECTS_PER_REQUEST },
          ),
        ],
        ok: { description: "The caller's permissions.", content: jsonContent(ref('AccessView')) },
      }),
    },
  };
}
