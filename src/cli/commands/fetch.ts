/** `fetch SUBJECT [--version V]` or `fetch --id N`: prints (or saves) a registered schema. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { optionValue, usage } from '../args.js';
import { type Command, emit } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { REGISTRY_OPTIONS, registryClient } from '../registry-options.js';

export const fetchCommand: Command = {
  name: 'fetch',
  summary: 'print or save a registered schema (by subject and version, or by id)',
  usage: 'fetch SUBJECT [--version N|latest] [--output PATH] | fetch --id N [options]',
  details: "Human output is the schema pretty-printed; --format json prints the registry's whole answer.",
  options: [
    ...REGISTRY_OPTIONS,
    { name: 'version', kind: 'string', value: 'N|latest', description: 'version to fetch (default latest)' },
    { name: 'id', kind: 'string', value: 'N', description: 'fetch by global schema id instead of subject' },
    { name: 'output', kind: 'string', value: 'PATH', description: 'write the schema text to PATH' },
  ],
  async run(ctx) {
    const rawId = optionValue(ctx.args, 'id');
    const subject = ctx.args.positionals[0];
    if (ctx.args.positionals.length > 1) throw usage(`unexpected argument '${ctx.args.positionals[1]}'`);
    if ((rawId === undefined) === (subject === undefined)) throw usage('give either SUBJECT or --id N');
    const client = registryClient(ctx);
    let answer: { schema: string } & Record<string, unknown>;
    if (rawId !== undefined) {
      if (!/^[0-9]+$/.test(rawId)) throw usage(`--id: expected a schema id, got '${rawId}'`);
      answer = { id: Number(rawId), ...(await client.getSchema(Number(rawId))) };
    } else {
      const raw = optionValue(ctx.args, 'version') ?? 'latest';
      if (raw !== 'latest' && !/^[0-9]+$/.test(raw))
        throw usage(`--version: expected a number or latest, got '${raw}'`);
      answer = { ...(await client.getVersion(subject!, raw === 'latest' ? 'latest' : Number(raw))) };
    }
    const output = optionValue(ctx.args, 'output');
    if (output !== undefined) writeFileSync(resolve(ctx.io.cwd, output), pretty(answer.schema));
    const summary = subject === undefined ? `id ${rawId}` : `${subject} version ${String(answer.version)}`;
    emit(
      ctx,
      output === undefined ? [pretty(answer.schema).trimEnd()] : [`Wrote ${summary} to ${output}.`],
      answer,
    );
    return EXIT.OK;
  },
};

/** Pretty-printed when it is JSON (it always is for Avro), as stored otherwise. */
function pretty(text: string): string {
  try {
    return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
  } catch {
    return text.endsWith('\n') ? text : `${text}\n`;
  }
}
