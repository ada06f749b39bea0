import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDomainError } from '../errors.js';
import { type OptionSpec, optionValue, parseArgs } from './args.js';

const SPECS: OptionSpec[] = [
  { name: 'level', kind: 'string', description: '' },
  { name: 'fingerprint', kind: 'string', multiple: true, description: '' },
  { name: 'check', kind: 'boolean', description: '' },
  { name: 'help', kind: 'boolean', short: 'h', description: '' },
];

function usageError(argv: string[]): string {
  try {
    parseArgs(argv, SPECS);
  } catch (err) {
    assert.ok(isDomainError(err));
    assert.equal(err.exitCode, 2);
    return err.message;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
}

test('options in both spellings, flags, repeats, positionals and --', () => {
  const args = parseArgs(
    [
      'a.avsc',
      '--level',
      'FULL',
      '--check',
      '--fingerprint=ab',
      '-h',
      '--fingerprint',
      'cd',
      '--',
      '--not-an-option',
    ],
    SPECS,
  );
  assert.deepEqual(args.positionals, ['a.avsc', '--not-an-option']);
  assert.equal(optionValue(args, 'level'), 'FULL');
  assert.deepEqual(args.strings.get('fingerprint'), ['ab', 'cd']);
  assert.deepEqual([...args.flags].sort(), ['check', 'help']);
});

test('usage errors name the problem', () => {
  assert.match(usageError(['--nope']), /unknown option '--nope'/);
  assert.match(usageError(['-x']), /unknown option '-x'/);
  assert.match(usageError(['--level']), /'--level' needs a value/);
  assert.match(usageError(['--level', '--check']), /'--level' needs a value/);
  assert.match(usageError(['--check=yes']), /takes no value/);
  assert.match(usageError(['--level', 'A', '--level', 'B']), /given twice/);
});
