/**
 * Renders `check` results: human text, a JSON document, or GitHub Actions workflow commands
 * (`::error file=…,line=…,title=…::…`), one annotation per incompatibility at the line where the
 * offending field's or type's definition starts in the new file.
 */

import type { ExplainedIncompatibility } from '../avro/location-lines.js';
import type { CompatibilityLevel } from '../avro/types.js';
import { describeDirection, type Finding } from './gate.js';

export type FileStatus = 'valid' | 'new' | 'compatible' | 'incompatible';

export interface FileReport {
  /** As given on the command line. */
  readonly file: string;
  /** Relative to the repository root (what GitHub annotations need), or as given outside a repository. */
  readonly annotationPath: string;
  readonly status: FileStatus;
  readonly against: string | undefined;
  readonly level: CompatibilityLevel | undefined;
  readonly checkedVersions: readonly number[];
  readonly findings: readonly Finding[];
  readonly messages: readonly string[];
}

export function humanReport(reports: readonly FileReport[]): string[] {
  const lines: string[] = [];
  for (const r of reports) {
    lines.push(`${r.status === 'incompatible' ? 'FAIL' : 'ok  '} ${r.file}: ${statusText(r)}`);
    for (const f of r.findings) {
      lines.push(`       ${f.type} at ${f.location}${lineSuffix(f)}: ${f.message}`);
      lines.push(`         ${describeDirection(f.direction)} (${f.source})`);
      for (const c of leafCauses(f)) {
        lines.push(
          `         caused by ${c.cause.type} in ${c.branch} at ${c.cause.location}${lineSuffix(c.cause)}: ${c.cause.message}`,
        );
      }
    }
  }
  const failed = reports.filter((r) => r.status === 'incompatible').length;
  lines.push(
    failed === 0
      ? `${reports.length} schema file(s) checked, all passed.`
      : `${failed} of ${reports.length} schema file(s) incompatible.`,
  );
  return lines;
}

function statusText(r: FileReport): string {
  switch (r.status) {
    case 'valid':
      return 'valid Avro (no baseline given)';
    case 'new':
      return `valid Avro, new at ${r.against} (nothing to compare)`;
    case 'compatible':
      return `compatible with ${r.against} under ${r.level}${versionsText(r)}`;
    case 'incompatible':
      return `INCOMPATIBLE with ${r.against} under ${r.level}${versionsText(r)}`;
  }
}

function versionsText(r: FileReport): string {
  if (!r.against?.startsWith('registry:') || r.checkedVersions.length === 0) return '';
  return ` (version${r.checkedVersions.length > 1 ? 's' : ''} ${r.checkedVersions.join(', ')})`;
}

function lineSuffix(f: ExplainedIncompatibility): string {
  return f.position === undefined ? '' : ` (line ${f.position.line})`;
}

interface LeafCause {
  readonly branch: string;
  readonly cause: ExplainedIncompatibility;
}

/** The innermost reasons behind a union miss, each with the named branch it sits in. */
function leafCauses(f: ExplainedIncompatibility): LeafCause[] {
  return f.causes.flatMap((c) => {
    const inner = leafCauses(c);
    return inner.length > 0 ? inner : [{ branch: f.branch ?? '?', cause: c }];
  });
}

export function jsonReport(reports: readonly FileReport[]): unknown {
  return {
    ok: reports.every((r) => r.status !== 'incompatible'),
    files: reports.map((r) => ({
      file: r.file,
      status: r.status,
      against: r.against ?? null,
      level: r.level ?? null,
      checkedVersions: r.checkedVersions,
      incompatibilities: r.findings.map(findingJson),
      messages: r.messages,
    })),
  };
}

function findingJson(f: ExplainedIncompatibility & Partial<Finding>): unknown {
  return {
    type: f.type,
    location: f.location,
    message: f.message,
    ...(f.direction === undefined ? {} : { direction: f.direction, version: f.version, source: f.source }),
    line: f.position?.line ?? null,
    column: f.position?.column ?? null,
    ...(f.branch === undefined ? {} : { branch: f.branch }),
    ...(f.causes.length === 0 ? {} : { causes: f.causes.map(findingJson) }),
  };
}

export function githubReport(reports: readonly FileReport[]): string[] {
  const lines: string[] = [];
  for (const r of reports) {
    for (const f of r.findings) {
      const context = `${describeDirection(f.direction)} (${r.level}, ${f.source})`;
      const causes = leafCauses(f);
      if (causes.length === 0) {
        lines.push(
          annotation(r.annotationPath, f.position?.line, f.type, `${f.message} at ${f.location}; ${context}`),
        );
        continue;
      }
      for (const { branch, cause } of causes) {
        const text =
          `${branch}: ${cause.type === 'READER_FIELD_MISSING_DEFAULT_VALUE' ? `field '${cause.message}' has no default` : cause.message}` +
          ` at ${cause.location} (registry reports ${f.type} at ${f.location}: ${f.message}); ${context}`;
        lines.push(annotation(r.annotationPath, cause.position?.line ?? f.position?.line, cause.type, text));
      }
    }
  }
  return [...lines, ...humanReport(reports)];
}

function annotation(file: string, line: number | undefined, title: string, message: string): string {
  const props = [`file=${escapeProperty(file)}`, `line=${line ?? 1}`, `title=${escapeProperty(title)}`];
  return `::error ${props.join(',')}::${escapeData(message)}`;
}

/** GitHub workflow command escaping (toolkit `escapeData` / `escapeProperty`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
