/** Subject-name validity (Confluent `QualifiedSubject.isValidSubject`). */
import { DomainError } from '../errors.js';

const RESERVED = new Set(['__GLOBAL', '__EMPTY']);
const GLOBAL_CONTEXT_PREFIX = ':.__GLOBAL:';
// Java Character.isISOControl: U+0000..U+001F and U+007F..U+009F.
const ISO_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function isValidSubject(subject: string): boolean {
  if (RESERVED.has(subject)) return false;
  if (subject.startsWith(GLOBAL_CONTEXT_PREFIX)) return false;
  return !ISO_CONTROL.test(subject);
}

/** 42208 with Confluent's message (sic: "is not a valid."). */
export function assertValidSubject(subject: string): void {
  if (!isValidSubject(subject)) {
    throw new DomainError('INVALID_SUBJECT', `The specified subject '${subject}' is not a valid.`);
  }
}
