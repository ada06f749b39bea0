/**
 * Java's incompatibility types in plain words, for one direction of a check: who reads (the reader
 * schema) and who wrote (the writer schema). The Java type, message and location are shown beside it.
 */
export interface FindingLike {
  readonly type: string;
  readonly location: string;
  readonly message: string;
}

export function describeFinding(f: FindingLike, reader: string, writer: string): string {
  switch (f.type) {
    case 'READER_FIELD_MISSING_DEFAULT_VALUE':
      return `Field “${f.message}” of ${reader} has no default value and is missing in ${writer}.`;
    case 'TYPE_MISMATCH':
      return `The types differ: ${f.message}.`;
    case 'NAME_MISMATCH':
      return `The names differ: ${f.message}.`;
    case 'FIXED_SIZE_MISMATCH':
      return `The fixed sizes differ: ${f.message}.`;
    case 'MISSING_ENUM_SYMBOLS':
      return `${capitalise(reader)} lacks enum symbols that ${writer} can write: ${f.message}.`;
    case 'MISSING_UNION_BRANCH':
      return `${capitalise(reader)} has no union branch for a type ${writer} can write: ${f.message}.`;
    case 'EXCEPTION':
      return `The check failed as Java's would: ${f.message}.`;
    default:
      return f.message;
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
