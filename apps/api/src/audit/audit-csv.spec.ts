// auditCsv: the audit page as an RFC 4180 download. Actors and details come from users, so the
// quoting and the formula-injection guard are what keep a hostile name from breaking a row or
// running as a formula in the admin's spreadsheet.
import type { AuditEventDto } from '@vizportal/site-policy';
import { auditCsv } from './audit-csv';

// The header is a plain join of the column names; only the data cells are quoted.
const HEADER = 'at,actor,action,outcome,address,sessionId,subject,details';

const event = (overrides: Partial<AuditEventDto> = {}): AuditEventDto => ({
  id: '00000000-0000-4000-8000-000000000001',
  at: '2026-12-03T14:05:00.000Z',
  actor: 'alice',
  action: 'session.launch',
  outcome: 'ok',
  address: '192.0.2.10',
  sessionId: '11111111-1111-4111-8111-111111111111',
  subject: null,
  details: { appId: 'desktop' },
  ...overrides,
});

/** The cells of the data row of a one-event CSV, split by a minimal RFC 4180 reader. */
function cellsOf(csv: string): string[] {
  const body = csv.slice(csv.indexOf('\r\n') + 2, -2);
  const cells: string[] = [];
  let i = 0;
  while (i < body.length) {
    expect(body[i]).toBe('"');
    let text = '';
    i += 1;
    for (;;) {
      if (body[i] === '"' && body[i + 1] === '"') {
        text += '"';
        i += 2;
      } else if (body[i] === '"') {
        i += 1;
        break;
      } else {
        text += body[i];
        i += 1;
      }
    }
    cells.push(text);
    if (i < body.length) {
      expect(body[i]).toBe(',');
      i += 1;
    }
  }
  return cells;
}

describe('auditCsv', () => {
  it('starts with the header row, and an empty page is the header alone', () => {
    expect(auditCsv([])).toBe(`${HEADER}\r\n`);
  });

  it('writes one row per event, in the header’s column order, every field quoted, id left out', () => {
    const csv = auditCsv([event(), event({ actor: 'bob', outcome: 'refused' })]);
    const lines = csv.split('\r\n');
    expect(lines).toHaveLength(4); // header, two rows, and the empty string after the last CRLF
    expect(lines[0]).toBe(HEADER);
    expect(lines[1]).toBe(
      '"2026-12-03T14:05:00.000Z","alice","session.launch","ok","192.0.2.10",' +
        '"11111111-1111-4111-8111-111111111111","","{""appId"":""desktop""}"',
    );
    expect(lines[2]).toMatch(/^"2026-12-03T14:05:00.000Z","bob","session.launch","refused",/);
    expect(csv).not.toContain('00000000-0000-4000-8000-000000000001');
  });

  it('ends every line with CRLF, including the last, and has no bare LF between rows', () => {
    const csv = auditCsv([event(), event()]);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.match(/\r\n/g)).toHaveLength(3);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('writes null fields as empty cells', () => {
    expect(cellsOf(auditCsv([event({ address: null, sessionId: null, subject: null })])).slice(4, 7)).toEqual(
      ['', '', ''],
    );
  });

  it('doubles quotes and keeps commas and newlines inside the quoted cell', () => {
    const actor = 'ev"il, "name"\r\nnext';
    const cells = cellsOf(auditCsv([event({ actor, subject: 'a,b\nc' })]));
    expect(cells).toHaveLength(8);
    expect(cells[1]).toBe(actor);
    expect(cells[6]).toBe('a,b\nc');
    expect(auditCsv([event({ actor: 'say "hi"' })])).toContain(',"say ""hi""",');
  });

  it.each(['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tTAB', '\rCR'])(
    'prefixes a cell that starts like a formula (%j) with a quote',
    (actor) => {
      expect(cellsOf(auditCsv([event({ actor })]))[1]).toBe(`'${actor}`);
    },
  );

  it('leaves a cell alone when the formula character is not first', () => {
    expect(cellsOf(auditCsv([event({ actor: 'a=b', subject: 'x-y@z' })]))).toEqual(
      expect.arrayContaining(['a=b', 'x-y@z']),
    );
  });

  it('writes details as JSON, quoted and guarded like any other cell', () => {
    const details = { values: { cpus: 2, title: 'a "b", c' }, list: [1, null], note: '=1+1' };
    const cells = cellsOf(auditCsv([event({ details })]));
    expect(JSON.parse(cells[7])).toEqual(details);
    // JSON starts with "{", so the guard does not touch it; a formula inside it is not at the cell's start.
    expect(cells[7].startsWith('{')).toBe(true);
    expect(cellsOf(auditCsv([event({ details: {} })]))[7]).toBe('{}');
  });
});
