/**
 * The import graph of our own TypeScript sources, read as text (the TypeScript 7 package ships no
 * compiler API to ask). Biome formats every file, so an import is a statement at the start of a line
 * and a lazy one is `import('…')` with a literal specifier; only relative specifiers name our files.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

/** `type`: erased at compile time (`import type` / `export type … from`); `lazy`: `import('…')`. */
export type EdgeKind = 'value' | 'type' | 'lazy';

export interface ImportEdge {
  /** Paths relative to the scanned root, with `/` separators, e.g. `avro/datum.ts`. */
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
}

const STATEMENT = /^[ \t]*(import|export)\s+(type\s+)?[^;'"`]*?\bfrom\s*'([^']+)'/gm;
const BARE = /^[ \t]*import\s*'([^']+)'/gm;
const LAZY = /\bimport\(\s*'([^']+)'\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** `./x.js` -> the `x.ts` beside the importer (ESM specifiers name the emitted file). */
function resolveSpecifier(importer: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = resolve(importer, '..', specifier.replace(/\.js$/, '.ts'));
  return existsSync(target) ? target : undefined;
}

/** One import as written: `specifier` is relative (`./x.js`) or a package (`express`, `node:fs`). */
export interface ImportStatement {
  readonly from: string;
  readonly specifier: string;
  readonly kind: EdgeKind;
}

/** Every import statement of every `.ts` file under `root` (`from` relative to `root`, `/`-separated). */
export function readImports(root: string): ImportStatement[] {
  const found: ImportStatement[] = [];
  for (const file of sourceFiles(root)) {
    const from = relative(root, file).split(sep).join('/');
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(STATEMENT)) {
      found.push({ from, specifier: m[3] as string, kind: m[2] ? 'type' : 'value' });
    }
    for (const m of text.matchAll(BARE)) found.push({ from, specifier: m[1] as string, kind: 'value' });
    for (const m of text.matchAll(LAZY)) found.push({ from, specifier: m[1] as string, kind: 'lazy' });
  }
  return found;
}

/** Every import between files under `root` (test files included; filter them out as needed). */
export function readImportGraph(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const { from, specifier, kind } of readImports(root)) {
    const target = resolveSpecifier(join(root, from), specifier);
    if (target?.startsWith(root + sep)) {
      edges.push({ from, to: relative(root, target).split(sep).join('/'), kind });
    }
  }
  return edges;
}

/** The strongly connected components with more than one file (or a file importing itself). */
export function findCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
    if (!next.has(e.to)) next.set(e.to, []);
  }
  // Tarjan's algorithm, iterative so a long chain cannot overflow the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;
  for (const start of [...next.keys()].sort()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; i: number }> = [{ node: start, i: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; i: number };
      const targets = next.get(frame.node) ?? [];
      if (frame.i < targets.length) {
        const to = targets[frame.i++] as string;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, i: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node) as number, index.get(to) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent)
        low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(frame.node) as number));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      const selfLoop = targets.includes(frame.node);
      if (component.length > 1 || selfLoop) cycles.push(component.sort());
    }
  }
  return cycles;
}
