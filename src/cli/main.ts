/** The `proximadb-registry` entry point (launched by `bin/proximadb-registry.js`). */
import { runCli } from './cli.js';

const code = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
// exitCode rather than exit(): lets piped stdout drain before the process ends.
process.exitCode = code;
