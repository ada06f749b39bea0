/**
 * The string-literal escaping the TypeScript, Python and Rust generators share: backslash, the chosen
 * quote and the three whitespace escapes are spelled alike in all three; each language says how it
 * spells the rest (control and non-ASCII characters).
 */

/** `other` returns the escape for a code point, or undefined to print the character as it is. */
export function escapedString(
  text: string,
  quote: '"' | "'",
  other: (code: number) => string | undefined,
): string {
  let out = quote;
  for (const ch of text) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else out += other(ch.codePointAt(0)!) ?? ch;
  }
  return out + quote;
}

/** How many times `ch` occurs in `text` (the generators pick the quote that needs fewer escapes). */
export function countOf(text: string, ch: string): number {
  return text.split(ch).length - 1;
}
