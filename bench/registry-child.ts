/**
 * The registry as the benchmark runs it for the fast-path variants: the normal entry's configuration
 * and start-up (`startRegistry`) from the compiled build, with `BENCH_FAST_PATH=listener|off` choosing
 * where the fast path runs. The default scenarios run the real entry point, `dist/index.js`.
 */
import type * as Entry from '../src/index.js';

const mode = process.env.BENCH_FAST_PATH;
if (mode !== 'listener' && mode !== 'off') {
  process.stderr.write('BENCH_FAST_PATH must be listener or off\n');
  process.exit(2);
}
// The compiled modules, as the other registry scenarios run them (buildRegistry ran first).
const compiled = new URL('../dist/', import.meta.url);
const { startRegistry } = (await import(new URL('index.js', compiled).href)) as typeof Entry;
const { loadConfig } = (await import(
  new URL('config.js', compiled).href
)) as typeof import('../src/config.js');
const running = await startRegistry(loadConfig(process.env), { fastPath: mode });
process.once('SIGTERM', () => {
  running.shutdown().then(() => process.exit(0));
});
