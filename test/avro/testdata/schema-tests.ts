/** Reads Avro's `schema-tests.txt` format (`<<INPUT`, `<<canonical`, `<<fingerprint`, heredoc `INPUT`). */
import { readFileSync } from 'node:fs';

export interface SchemaTestCase {
  readonly id: string;
  readonly input: string;
  readonly canonical: string;
  /** CRC-64-AVRO as Java's signed long, when the case lists one. */
  readonly fingerprint: bigint | undefined;
}

export function readSchemaTests(path: string): SchemaTestCase[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const cases: SchemaTestCase[] = [];
  let id = '';
  let current: { input?: string; canonical?: string; fingerprint?: bigint } = {};
  const flush = () => {
    if (current.input !== undefined && current.canonical !== undefined) {
      cases.push({
        id,
        input: current.input,
        canonical: current.canonical,
        fingerprint: current.fingerprint,
      });
    }
    current = {};
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const idMatch = /^\/\/ (\d{3})$/.exec(line);
    if (idMatch) {
      flush();
      id = idMatch[1] as string;
    } else if (line === '<<INPUT') {
      const body: string[] = [];
      while (lines[++i] !== 'INPUT') body.push(lines[i] as string);
      current.input = body.join('\n');
    } else if (line.startsWith('<<INPUT ')) current.input = line.slice(8);
    else if (line.startsWith('<<canonical ')) current.canonical = line.slice(12);
    else if (line.startsWith('<<fingerprint ')) current.fingerprint = BigInt(line.slice(14));
  }
  flush();
  return cases;
}
