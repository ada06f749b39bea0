/**
 * The registry as the benchmark runs it for the fast-path variants: the normal entry's configuration
 * and start-up (`startRegistry`), with `BENCH_FAST_PATH=listener|off` choosing where the
 * fast path runs. The default scenarios run the real entry point, `src/index.ts`.
 */
import { loadConfig } from '../src/config.js';
import { startRegistry } from '../src/index.js';

const mode = process.env.BENCH_FAST_PATH;
if (mode !== 'listener' && mode !== 'off') {
  process.stderr.write('BENCH_FAST_PATH must be listener or off\n');
  process.exit(2);
}
const running = await startRegistry(loadConfig(process.env), { fastPath: mode });
process.once('SIGTERM', () => {
  running.shutdown().then(() => process.exit(0));
});
