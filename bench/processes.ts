/**
 * Child processes of the benchmark: the registry (`dist/index.js`, exactly as `npm start` and the Docker
 * image run it, compiled once per run by `buildRegistry`) and the two baselines, each on its own
 * loopback port. The load generator (autocannon) stays in the parent, so server and generator each get
 * one of the machine's two cores as far as the OS allows.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The registry's entry point as production runs it: the compiled build (see `buildRegistry`). */
export const REGISTRY_ENTRY = 'dist/index.js';

/**
 * The node flags `npm start` and the Docker image give the server (package.json `start`, Dockerfile
 * `CMD`; test/perf/server-flags.test.ts keeps the three equal). See docs/operations.md, "Node flags".
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--no-memory-reducer'];

/**
 * Compiles the server into `dist/` (`npm run build`), so that the figures are those of the code being
 * measured as it is deployed: no tsx transform at load, no esbuild `keepNames` wrapper on every function.
 */
export function buildRegistry(): void {
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
}

export interface Child {
  readonly child: ChildProcess;
  readonly url: string;
  /** Milliseconds from spawn until the readiness URL first answered 200. */
  readonly startMs: number;
  stderr(): string;
}

/** A free loopback port (bound and released: good enough on a machine nobody else uses). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/** Spawns `node <script>` (`node --import tsx <script>` for TypeScript) and polls `readyPath` every 5 ms until it answers 200. */
export async function startChild(
  script: string,
  env: Record<string, string>,
  readyPath: string,
  timeoutMs = 60_000,
): Promise<Child> {
  const port = await freePort();
  const started = performance.now();
  // BENCH_NODE_ARGS: node flags for the child (say `--cpu-prof`), space-separated.
  const flags = env.BENCH_NODE_ARGS?.split(' ').filter((f) => f !== '') ?? [];
  const server = script === REGISTRY_ENTRY ? SERVER_NODE_FLAGS : [];
  const args = [...server, ...flags, ...(script.endsWith('.ts') ? ['--import', 'tsx', script] : [script])];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${script} exited before answering (${child.exitCode ?? child.signalCode}): ${stderr}`);
    }
    if (await answers(url + readyPath)) break;
    if (performance.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`${script} did not answer ${readyPath} within ${timeoutMs} ms: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { child, url, startMs: performance.now() - started, stderr: () => stderr };
}

/** Resident set size of a process in MB (Linux `/proc/<pid>/status`), undefined elsewhere. */
export function rssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
}

/** SIGTERM (graceful), SIGKILL after 5 s; resolves once the process is gone. */
export async function stopChild(child: Child): Promise<void> {
  const proc = child.child;
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const gone = once(proc, 'exit');
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
  await gone;
  clearTimeout(timer);
}
