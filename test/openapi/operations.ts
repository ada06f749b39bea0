/** The document's operations as concrete requests (path parameters filled from their examples). */
type Json = Record<string, unknown>;

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

export interface DocumentedOperation {
  /** Upper-case. */
  readonly method: string;
  /** As documented, e.g. `/subjects/{subject}`. */
  readonly template: string;
  /** With every path parameter replaced by its documented example, percent-encoded. */
  readonly path: string;
  readonly op: Json;
  readonly permission: string;
  readonly hasBody: boolean;
}

export function documentedOperations(document: Json): DocumentedOperation[] {
  const out: DocumentedOperation[] = [];
  for (const [template, item] of Object.entries(document.paths as Record<string, Json>)) {
    for (const method of HTTP_METHODS) {
      const op = item[method] as Json | undefined;
      if (op === undefined) continue;
      const params = (op.parameters ?? []) as Json[];
      const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
        const param = params.find((p) => p.in === 'path' && p.name === name);
        if (param?.example === undefined) throw new Error(`${method} ${template}: no example for {${name}}`);
        return encodeURIComponent(String(param.example));
      });
      out.push({
        method: method.toUpperCase(),
        template,
        path,
        op,
        permission: op['x-required-permission'] as string,
        hasBody: op.requestBody !== undefined,
      });
    }
  }
  return out;
}
