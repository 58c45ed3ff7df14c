// Splitting separator-terminated -O output into records, and refusing broken output.
import { FIELD_SEPARATOR as S, formatArgument, splitRecords } from './delimited-output';

describe('delimited output', () => {
  it('builds -O arguments with the separator as every field suffix', () => {
    expect(formatArgument(['JobID', 'Name'])).toBe(`JobID:${S},Name:${S}`);
  });

  it('splits records even when a field holds a newline', () => {
    const out = `1${S}a${S}\n2${S}multi\nline${S}\n`;
    expect(splitRecords(out, 2)).toEqual([
      ['1', 'a'],
      ['2', 'multi\nline'],
    ]);
  });

  it('throws on a record with a missing field instead of guessing', () => {
    expect(() => splitRecords(`1${S}a${S}\n2${S}\n`, 2)).toThrow();
    expect(() => splitRecords(`1${S}a`, 2)).toThrow();
  });

  it('reads empty output as no records', () => {
    expect(splitRecords('', 3)).toEqual([]);
  });
});
