// The audit page as CSV (RFC 4180): every field quoted, and a cell that a spreadsheet would run as a
// formula (=, +, -, @ first) is prefixed with a quote, since actors and details come from users.
import type { AuditEventDto } from '@vizportal/site-policy';

const COLUMNS = ['at', 'actor', 'action', 'outcome', 'address', 'sessionId', 'subject', 'details'] as const;

export function auditCsv(events: readonly AuditEventDto[]): string {
  const lines = [COLUMNS.join(',')];
  for (const event of events) {
    lines.push(
      COLUMNS.map((column) => {
        const value = event[column];
        return cell(column === 'details' ? JSON.stringify(value) : value === null ? '' : String(value));
      }).join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

function cell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}
