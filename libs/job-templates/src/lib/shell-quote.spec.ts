import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { shellQuote } from './shell-quote';

/** What bash makes of `printf '%s' <quoted>`: the word as bash sees it, as bytes. (stdin closed: bash with a stdin pipe from Node starts ~40x slower.) */
function throughBash(quoted: string): Buffer {
  const run = spawnSync('bash', ['-c', `printf '%s' ${quoted}`], {
    env: { PATH: process.env['PATH'] },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (run.status !== 0) throw new Error(run.stderr.toString());
  return run.stdout;
}

describe('shellQuote', () => {
  it.each([
    ['', "''"],
    ['plain', "'plain'"],
    ["it's", "'it'\\''s'"],
    ['$(touch x) `y` ; z', "'$(touch x) `y` ; z'"],
    ['a\nb', "'a\nb'"],
  ])('quotes %p as %p', (value, quoted) => {
    expect(shellQuote(value)).toBe(quoted);
  });

  it('refuses NUL, which no bash word can hold', () => {
    expect(() => shellQuote('a\0b')).toThrow(RangeError);
  });

  it('gives bash back exactly the value, whatever it holds (100 random strings)', () => {
    const tricky = fc.constantFrom(
      "'",
      '"',
      '\\',
      '$',
      '`',
      '$(',
      ';',
      '\n',
      '\r',
      '\t',
      ' ',
      '*',
      '!',
      '#',
      '~',
      '{',
      '}',
      'é',
      '😀',
      '\u202e',
    );
    const value = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.array(tricky, { maxLength: 12 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(value, (text) => {
        expect(throughBash(shellQuote(text)).equals(Buffer.from(text, 'utf8'))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
