/** `config [SUBJECT] [--set LEVEL | --delete]`: reads or changes a subject's (or the global) level. */
import { parseCompatibilityLevel } from '../../avro/levels.js';
import { DomainError, isDomainError } from '../../errors.js';
import { optionValue, usage } from '../args.js';
import { type Command, emit } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { REGISTRY_OPTIONS, registryClient } from '../registry-options.js';

export const configCommand: Command = {
  name: 'config',
  summary: "get or set a subject's (or the global) compatibility level",
  usage: 'config [SUBJECT] [--set LEVEL | --delete] [options]',
  details: [
    'Without SUBJECT it works on the global level. Reading a subject shows its effective level (its own,',
    'or the global one it falls back to). --delete removes a subject-level override.',
  ].join('\n'),
  options: [
    ...REGISTRY_OPTIONS,
    {
      name: 'set',
      kind: 'string',
      value: 'LEVEL',
      description: 'set the level (NONE, BACKWARD, ..., FULL_TRANSITIVE)',
    },
    { name: 'delete', kind: 'boolean', description: 'remove the subject-level override' },
  ],
  async run(ctx) {
    if (ctx.args.positionals.length > 1) throw usage(`unexpected argument '${ctx.args.positionals[1]}'`);
    const subject = ctx.args.positionals[0] ?? null;
    const rawSet = optionValue(ctx.args, 'set');
    const remove = ctx.args.flags.has('delete');
    if (rawSet !== undefined && remove) throw usage('use either --set or --delete');
    const where = subject === null ? 'global' : `subject ${subject}`;
    if (rawSet !== undefined) {
      const level = level_(rawSet);
      const client = registryClient(ctx);
      const answer = await client.setConfig(subject, level);
      emit(ctx, [`Set the ${where} compatibility level to ${answer.compatibility}.`], {
        ok: true,
        subject,
        ...answer,
      });
      return EXIT.OK;
    }
    const client = registryClient(ctx);
    if (remove) {
      const old = await client.deleteConfig(subject).catch((e: unknown) => {
        // Confluent answers "Subject 'x' not found." (40401) here even for a subject that exists.
        if (subject !== null && (e as { code?: unknown }).code === 'SUBJECT_NOT_FOUND') {
          throw new DomainError(
            'SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED',
            `subject ${subject} has no subject-level compatibility level to remove (it follows the global one)`,
          );
        }
        throw e;
      });
      emit(ctx, [`Removed the ${where} level (was ${old.compatibilityLevel}).`], {
        ok: true,
        subject,
        removed: old,
      });
      return EXIT.OK;
    }
    const answer = await client.getConfig(subject, { defaultToGlobal: true });
    emit(ctx, [`${where}: ${answer.compatibilityLevel}`], { subject, ...answer });
    return EXIT.OK;
  },
};

function level_(raw: string) {
  try {
    return parseCompatibilityLevel(raw);
  } catch (err) {
    if (isDomainError(err)) throw new DomainError(err.code, `--set '${raw}': ${err.message}`);
    throw err;
  }
}
