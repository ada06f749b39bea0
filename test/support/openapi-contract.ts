/**
 * The OpenAPI document as a response checker: given what the server answered (method, URL, status,
 * headers, body), says what the document does not describe. Used by the response-validation hook
 * (openapi-responses.ts) on every response of the HTTP test suites.
 *
 * A response is matched the way the server routes it: the path against the documented templates
 * (literal segments before parameters, a trailing `/` allowed unless another template has exactly
 * that form, case-insensitive unless the app routes case-sensitively), HEAD as GET; a path the document does not list must be one of the answers of
 * `x-unrouted-responses.unknownPath`, an unlisted method one of `unknownMethod`. Then: the status must
 * be listed, the Content-Type's media type must be one of that status's `content` keys, required
 * headers must be present, and a JSON body must validate (JSON Schema 2020-12, Ajv) against the
 * schema. Schemas are compiled once per process, on first use.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { hasDotSegment } from '../../src/http/guarded-router.js';
import { openApiJson } from '../../src/http/openapi/document.js';

type Json = Record<string, unknown>;

export interface ObservedResponse {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

interface PathEntry {
  readonly template: string;
  readonly regex: RegExp;
  readonly literals: number;
  readonly item: Json;
}

const SCHEMAS_ID = 'urn:proximadb:openapi:schemas';

/** `#/components/schemas/X` → an id Ajv can resolve; everything else copied as is. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (typeof value !== 'object' || value === null) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')
        ? `${SCHEMAS_ID}#/$defs/${v.slice('#/components/schemas/'.length)}`
        : rewriteRefs(v);
  }
  return out;
}

function templateRegex(template: string, caseSensitive: boolean): RegExp {
  const body = template
    .split('/')
    .map((segment) =>
      /^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  // A template ending in `/` (the web UI's page) is matched exactly: its router is strict. The root `/`
  // is the API's (not strict): `//` is that route with a trailing slash.
  const strict = template.endsWith('/') && template !== '/';
  return new RegExp(strict ? `^${body}$` : `^${body}/?$`, caseSensitive ? '' : 'i');
}

export class OpenApiContract {
  readonly document: Json;
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly paths: Map<boolean, PathEntry[]> = new Map();

  constructor(document: Json) {
    this.document = document;
    this.ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true, strict: true });
    addFormats.default(this.ajv);
    // OpenAPI's own annotation keywords inside schemas.
    this.ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs']);
    const components = document.components as Json;
    this.ajv.addSchema({ $id: SCHEMAS_ID, $defs: rewriteRefs(components.schemas) as Json });
  }

  /** Which documented answer the response is (`where`) and everything it does not conform to. */
  check(response: ObservedResponse, opts: { caseSensitive: boolean }): { where: string; problems: string[] } {
    let where = '';
    const problems = this.problems(response, opts, (w) => {
      where = w;
    });
    return { where, problems };
  }

  private problems(
    response: ObservedResponse,
    opts: { caseSensitive: boolean },
    located: (where: string) => void,
  ): string[] {
    const { method, url, status } = response;
    const path = url.split('?', 1)[0] ?? '/';
    const entry = this.match(path, opts.caseSensitive);
    const lower = method.toLowerCase();
    let where: string;
    let responses: Json;
    if (entry === undefined) {
      where = 'x-unrouted-responses.unknownPath';
      responses = this.unrouted('unknownPath');
    } else {
      const op = (entry.item[lower] ?? (lower === 'head' ? entry.item.get : undefined)) as Json | undefined;
      if (op === undefined) {
        where = `x-unrouted-responses.unknownMethod (${method} ${entry.template})`;
        responses = this.unrouted('unknownMethod');
      } else {
        where = `${method} ${entry.template}`;
        responses = op.responses as Json;
      }
    }
    located(where);
    const described = (responses[String(status)] ?? responses.default) as Json | undefined;
    if (described === undefined) {
      return [
        `status ${status} is not documented for ${where} (documented: ${Object.keys(responses).join(', ')})`,
      ];
    }
    const answer = this.deref(described);
    const problems: string[] = [];
    for (const [name, header] of Object.entries((answer.headers ?? {}) as Json)) {
      const spec = this.deref(header as Json);
      if (spec.required === true && response.headers[name.toLowerCase()] === undefined) {
        problems.push(`${where} ${status}: required header ${name} is missing`);
      }
    }
    const content = answer.content as Record<string, Json> | undefined;
    const contentType = response.headers['content-type'];
    if (content === undefined) {
      if (response.body.length > 0) problems.push(`${where} ${status}: a body where the document has none`);
      return problems;
    }
    const mediaType = contentType?.split(';', 1)[0]?.trim().toLowerCase();
    const media = mediaType === undefined ? undefined : content[mediaType];
    if (media === undefined) {
      problems.push(
        `${where} ${status}: Content-Type ${contentType ?? '(none)'} is not documented (documented: ${Object.keys(content).join(', ')})`,
      );
      return problems;
    }
    if (method === 'HEAD' || !isJson(mediaType!)) return problems;
    let body: unknown;
    try {
      body = JSON.parse(response.body.toString('utf8'));
    } catch {
      problems.push(`${where} ${status}: the ${mediaType} body is not JSON: ${snippet(response.body)}`);
      return problems;
    }
    const validate = this.validator(media.schema as Json);
    if (!validate(body)) {
      const errors = (validate.errors ?? [])
        .slice(0, 5)
        .map(
          (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${e.params ? JSON.stringify(e.params) : ''}`,
        );
      problems.push(
        `${where} ${status}: body does not match the schema: ${errors.join('; ')} — ${snippet(response.body)}`,
      );
    }
    return problems;
  }

  /** Compiles the validator of every JSON response schema (a schema error shows); returns how many. */
  compileAll(): number {
    const answers: Json[] = [];
    for (const item of Object.values(this.document.paths as Record<string, Json>)) {
      for (const op of Object.values(item) as Json[])
        answers.push(...(Object.values(op.responses as Json) as Json[]));
    }
    for (const kind of ['unknownPath', 'unknownMethod'] as const) {
      answers.push(...(Object.values(this.unrouted(kind)) as Json[]));
    }
    let count = 0;
    for (const answer of answers) {
      for (const [type, media] of Object.entries(
        (this.deref(answer).content ?? {}) as Record<string, Json>,
      )) {
        if (!isJson(type)) continue;
        this.validator(media.schema as Json);
        count++;
      }
    }
    return count;
  }

  /** Cached by the schema's text: the three media types and the shared error answers compile once. */
  private validator(schema: Json): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = this.validators.get(key);
    if (validate === undefined) {
      validate = this.ajv.compile(rewriteRefs(schema) as Json);
      this.validators.set(key, validate);
    }
    return validate;
  }

  private unrouted(kind: 'unknownPath' | 'unknownMethod'): Json {
    return (this.document['x-unrouted-responses'] as Json)[kind] as Json;
  }

  private deref(value: Json): Json {
    let current = value;
    for (let hops = 0; typeof current.$ref === 'string' && hops < 10; hops++) {
      const pointer = (current.$ref as string).replace(/^#\//, '').split('/');
      let target: unknown = this.document;
      for (const part of pointer) target = (target as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
      if (typeof target !== 'object' || target === null)
        throw new Error(`unresolvable ${String(current.$ref)}`);
      current = target as Json;
    }
    return current;
  }

  private match(path: string, caseSensitive: boolean): PathEntry | undefined {
    // A `.` or `..` segment (also percent-encoded) names no route: the server refuses it before routing.
    if (hasDotSegment(path)) return undefined;
    let entries = this.paths.get(caseSensitive);
    if (entries === undefined) {
      entries = Object.entries(this.document.paths as Json)
        .map(([template, item]) => ({
          template,
          regex: templateRegex(template, caseSensitive),
          literals: template.split('/').filter((s) => s !== '' && !s.startsWith('{')).length,
          item: item as Json,
        }))
        // Concrete paths before templated ones (OpenAPI's rule, and Express's order for ours).
        .sort((a, b) => b.literals - a.literals);
      this.paths.set(caseSensitive, entries);
    }
    // `/ui` and `/ui/` are two routes (the web UI routes strictly): a template written as the path
    // is, with or without its trailing `/`, wins over one that merely tolerates the difference.
    const slash = path.length > 1 && path.endsWith('/');
    return (
      entries.find((e) => e.regex.test(path) && e.template.endsWith('/') === slash) ??
      entries.find((e) => e.regex.test(path))
    );
  }
}

function isJson(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

function snippet(body: Buffer): string {
  const text = body.toString('utf8', 0, Math.min(body.length, 300));
  return body.length > 300 ? `${text}…` : text;
}

let shared: OpenApiContract | undefined;

/** The document as the server serves it, loaded once per process. */
export function openApiContract(): OpenApiContract {
  shared ??= new OpenApiContract(JSON.parse(openApiJson({ version: 'test' })) as Json);
  return shared;
}
