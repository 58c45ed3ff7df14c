import { findLogProblems } from './log-leaks';

const line = (fields: Record<string, unknown>) =>
  JSON.stringify({ level: 30, time: 1764300000000, msg: 'request completed', ...fields });

describe('findLogProblems', () => {
  it('passes a clean pino log', () => {
    const log = [line({ req: { url: '/api/sessions/1/connect' } }), line({ context: 'VncProxy' }), ''].join(
      '\n',
    );
    expect(findLogProblems(log, { password: 'correct-horse-battery' })).toEqual([]);
  });

  it('finds a planted secret, raw, JSON-escaped or URL-encoded, and names it', () => {
    const secret = 'pa"ss/wo rd+1';
    const log = [
      line({ note: `raw ${secret}` }),
      line({ note: 'clean' }),
      JSON.stringify({ level: 30, time: 1, msg: `escaped ${secret}` }),
      line({ req: { url: `/api/x?token=${encodeURIComponent(secret)}` } }),
    ].join('\n');
    expect(findLogProblems(log, { 'VNC password': secret })).toEqual([
      { line: 1, problem: 'contains the VNC password' },
      { line: 3, problem: 'contains the VNC password' },
      { line: 4, problem: 'contains the VNC password' },
    ]);
  });

  it('flags lines that are not JSON or lack level, time or msg', () => {
    const log = ['[Nest] 123 - LOG plain text', JSON.stringify({ msg: 'x' }), line({})].join('\n');
    expect(findLogProblems(log, {})).toEqual([
      { line: 1, problem: 'not JSON' },
      { line: 2, problem: 'no numeric level' },
      { line: 2, problem: 'no time' },
    ]);
  });

  it('refuses secrets too short to search for', () => {
    expect(() => findLogProblems('', { token: 'abc' })).toThrow(/too short/);
  });
});
