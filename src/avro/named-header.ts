/**
 * The parts every named type shares: name, namespace, doc and aliases, checked by the rules of the
 * mode (strict: Avro 1.12 STRICT_VALIDATOR on every name part and alias; lenient: letters only on the
 * simple name, as Confluent's stored-schema path does).
 */
import type { DomainError } from '../errors.js';
import { isValidName, PRIMITIVE_TYPES, q, type SplitName, splitName } from './names.js';
import { type Text, text } from './parse-path.js';
import type { JsonObject } from './types.js';

export interface HeaderContext {
  readonly strict: boolean;
  fail(detail: string): DomainError;
}

export interface NamedHeader extends SplitName {
  readonly doc: string | undefined;
  /** Fully qualified, de-duplicated (Java keeps them in a set). */
  readonly aliases: string[];
  /** `record "a.R"`, the prefix of messages about this type. */
  readonly label: string;
}

/** Name, namespace, doc and aliases of a record/enum/fixed, validated per the mode. */
export function namedHeader(
  ctx: HeaderContext,
  json: JsonObject,
  ns: string | null,
  kind: string,
): NamedHeader {
  const name = json.name;
  if (typeof name !== 'string') throw ctx.fail(`${kind} has no "name"`);
  let space = ns;
  const nsAttr = json.namespace;
  if (typeof nsAttr === 'string') space = nsAttr;
  else if (nsAttr !== undefined && nsAttr !== null && ctx.strict) {
    throw ctx.fail(`${kind} ${q(name)}: "namespace" must be a string`);
  }
  const split = splitName(name, space);
  if (!isValidName(split.name, ctx.strict)) {
    throw ctx.fail(`${kind} name ${q(split.name)} is invalid${nameRule(ctx.strict)}`);
  }
  if (ctx.strict && split.namespace !== null) {
    for (const part of split.namespace.split('.')) {
      if (!isValidName(part, true)) {
        throw ctx.fail(
          `${kind} ${q(split.fullName)}: namespace part ${q(part)} is invalid${nameRule(ctx.strict)}`,
        );
      }
    }
  }
  if (PRIMITIVE_TYPES.has(split.fullName)) {
    throw ctx.fail(`${kind} ${q(split.fullName)}: types may not be named after primitive types`);
  }
  const label = `${kind} ${q(split.fullName)}`;
  const doc = optionalString(ctx, json, 'doc', label);
  const aliases: string[] = [];
  for (const alias of stringList(ctx, json, 'aliases', label)) {
    const a = splitName(alias, split.namespace);
    if (ctx.strict) {
      const parts = alias.split('.');
      if (!parts.every((p) => isValidName(p, true))) {
        throw ctx.fail(`${label}: alias ${q(alias)} is invalid${nameRule(ctx.strict)}`);
      }
    }
    if (!aliases.includes(a.fullName)) aliases.push(a.fullName);
  }
  return { ...split, doc, aliases, label };
}

export function nameRule(strict: boolean): string {
  return strict
    ? ' (names must start with [A-Za-z_] and contain only [A-Za-z0-9_])'
    : ' (names must start with a letter or _ and contain only letters, digits and _)';
}

export function optionalString(
  ctx: HeaderContext,
  json: JsonObject,
  key: string,
  label: Text,
): string | undefined {
  const v = json[key];
  if (typeof v === 'string') return v;
  // Java reads a non-string as absent; new schemas get told instead (null, which tools emit, passes).
  if (v !== undefined && v !== null && ctx.strict) {
    throw ctx.fail(`${text(label)}: "${key}" must be a string`);
  }
  return undefined;
}

export function stringList(ctx: HeaderContext, json: JsonObject, key: string, label: Text): string[] {
  const v = json[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw ctx.fail(`${text(label)}: "${key}" must be an array of strings`);
  return v.map((s) => {
    if (typeof s !== 'string') throw ctx.fail(`${text(label)}: "${key}" must be an array of strings`);
    return s;
  });
}
