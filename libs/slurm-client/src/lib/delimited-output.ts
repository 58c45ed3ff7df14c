// Reads the output of squeue/sinfo -O when every field is given the suffix FIELD_SEPARATOR
// ("JobID:\x1f,Name:\x1f,..."): no padding, no truncation, and a separator no job name, comment
// or path contains. Each record is N separator-terminated fields followed by a newline, so a
// field containing a newline (a comment, say) cannot shift the records.

/** ASCII Unit Separator. */
export const FIELD_SEPARATOR = '\x1f';

/** The -O/--Format argument for these fields. */
export function formatArgument(fields: readonly string[]): string {
  return fields.map((field) => `${field}:${FIELD_SEPARATOR}`).join(',');
}

/** Splits the output into records of exactly `fieldCount` fields; throws when it does not fit. */
export function splitRecords(output: string, fieldCount: number): string[][] {
  if (output.trim() === '') return [];
  const tokens = output.split(FIELD_SEPARATOR);
  const tail = tokens.pop() ?? '';
  if (tail.trim() !== '') {
    throw new Error(`output does not end with a complete record: ${JSON.stringify(tail.slice(0, 80))}`);
  }
  if (tokens.length % fieldCount !== 0) {
    throw new Error(`expected records of ${fieldCount} fields, got ${tokens.length} fields in all`);
  }
  const records: string[][] = [];
  for (let i = 0; i < tokens.length; i += fieldCount) {
    const record = tokens.slice(i, i + fieldCount);
    if (i > 0) {
      if (!record[0].startsWith('\n')) {
        throw new Error(`record ${records.length + 1} does not start on a new line`);
      }
      record[0] = record[0].slice(1);
    }
    records.push(record);
  }
  return records;
}

/** Pairs field names with a record's values. */
export function recordObject<F extends string>(
  fields: readonly F[],
  record: readonly string[],
): Record<F, string> {
  const out = {} as Record<F, string>;
  fields.forEach((field, i) => {
    out[field] = record[i];
  });
  return out;
}
