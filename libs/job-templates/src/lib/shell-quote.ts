/**
 * The one way a value enters a batch script: as a single-quoted bash word.
 *
 * Inside single quotes bash interprets nothing ($, `, \, newlines are literal); the only character to
 * handle is the single quote itself, closed, escaped and reopened as '\''. NUL can't be represented in a
 * bash string at all, so it is refused (validation refuses it earlier, with a field error).
 */
export function shellQuote(value: string): string {
  if (value.includes('\0')) throw new RangeError('shellQuote: a shell word cannot contain NUL');
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
