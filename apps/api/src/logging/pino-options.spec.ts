import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import { pinoHttp } from 'pino-http';
import request from 'supertest';
import { pathWithoutQuery, pinoHttpOptions, REDACTED } from './pino-options';

interface LogLine {
  level?: number;
  msg?: string;
  req?: { id?: string; url?: string };
  res?: unknown;
  body?: unknown;
  nested?: unknown;
}

/** An express app logging through the API's pino-http options into an array of parsed lines. */
function loggedApp(level: pino.LevelWithSilent = 'info') {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  const app = express();
  app.use(pinoHttp(pinoHttpOptions(level), sink));
  app.use(express.json());
  app.post('/api/auth/login', (req, res) => {
    req.log.info({ body: req.body, nested: { deeper: { token: 'tok-deep-123' } } }, 'handler saw a body');
    res.setHeader('set-cookie', 'vizportal_session=cookie-value-123; HttpOnly');
    res.status(200).json({ ok: true });
  });
  app.get('/api/boom', () => {
    throw new Error('handler failed');
  });
  return { app, lines };
}

describe('pino-http options', () => {
  it('logs a request without its body, query string, cookie or authorization, and redacts secret fields', async () => {
    const { app, lines } = loggedApp();
    await request(app)
      .post('/api/auth/login?token=query-token-123')
      .set('cookie', 'vizportal_session=cookie-value-123')
      .set('authorization', 'Bearer bearer-secret-123')
      .set('user-agent', 'jest')
      .send({ username: 'alice', password: 'login-password-123' })
      .expect(200);
    const text = lines.map((line) => JSON.stringify(line)).join('\n');
    for (const secret of [
      'query-token-123',
      'cookie-value-123',
      'bearer-secret-123',
      'login-password-123',
      'tok-deep-123',
    ]) {
      expect(text).not.toContain(secret);
    }
    const completed = lines.find((line) => line.msg === 'request completed');
    expect(completed?.req).toMatchObject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'user-agent': 'jest' },
    });
    expect(completed?.res).toEqual({ statusCode: 200 });
    const handler = lines.find((line) => line.msg === 'handler saw a body');
    expect(handler?.body).toEqual({ username: 'alice', password: REDACTED });
    expect(handler?.nested).toEqual({ deeper: { token: REDACTED } });
  });

  it('keeps a safe incoming X-Request-Id, replaces an unsafe one with a UUID, and echoes it', async () => {
    const { app, lines } = loggedApp();
    const kept = await request(app).post('/api/auth/login').set('x-request-id', 'abc-123.DEF').send({});
    expect(kept.headers['x-request-id']).toBe('abc-123.DEF');
    const replaced = await request(app)
      .post('/api/auth/login')
      .set('x-request-id', 'evil id\twith spaces')
      .send({});
    expect(replaced.headers['x-request-id']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    const fresh = await request(app).post('/api/auth/login').send({});
    expect(fresh.headers['x-request-id']).not.toBe(replaced.headers['x-request-id']);
    const ids = lines.filter((line) => line.msg === 'request completed').map((line) => line.req?.id);
    expect(ids).toEqual([
      kept.headers['x-request-id'],
      replaced.headers['x-request-id'],
      fresh.headers['x-request-id'],
    ]);
  });

  it('logs server errors at error level, and nothing at all when silent', async () => {
    const { app, lines } = loggedApp();
    await request(app).get('/api/boom').expect(500);
    expect(lines.find((line) => line.req?.url === '/api/boom')?.level).toBe(50);
    const quiet = loggedApp('silent');
    await request(quiet.app).get('/api/boom').expect(500);
    expect(quiet.lines).toEqual([]);
  });
});

describe('redaction of errors', () => {
  it("drops a failed query's parameters from a logged error", () => {
    const lines: string[] = [];
    const logger = pino(
      { redact: pinoHttpOptions('info').redact },
      { write: (line: string) => void lines.push(line) },
    );
    const error = Object.assign(new Error('SQLITE_FULL: database or disk is full'), {
      query: 'UPDATE "sessions" SET "vncPassword" = ? WHERE "id" = ?',
      parameters: ['vnc-pw-1', 'id-1'],
    });
    logger.error({ err: error }, 'write failed');
    expect(lines.join('')).not.toContain('vnc-pw-1');
    expect(lines.join('')).toContain('SQLITE_FULL');
  });
});

describe('pathWithoutQuery', () => {
  it('drops the query string', () => {
    expect(pathWithoutQuery('/api/sessions/1/vnc?token=abc')).toBe('/api/sessions/1/vnc');
    expect(pathWithoutQuery('/api/health')).toBe('/api/health');
    expect(pathWithoutQuery(undefined)).toBeUndefined();
  });
});
