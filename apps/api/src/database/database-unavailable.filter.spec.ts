// The database-unavailable classification and its 503, with driver errors shaped as node-sqlite3
// and pg raise them.
import { type ArgumentsHost, HttpStatus } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { QueryFailedError } from 'typeorm';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from './database-unavailable';
import { DatabaseUnavailableFilter } from './database-unavailable.filter';
import { DatabaseWriteStatus } from './database-write-status';

function driverError(code: string, message = `${code}: something`): Error {
  return Object.assign(new Error(message), { code });
}

const queryFailed = (code: string) =>
  new QueryFailedError('INSERT INTO "session" ...', [], driverError(code));

function httpHost() {
  const response = { status: jest.fn().mockReturnThis(), json: jest.fn().mockReturnThis() };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({}) }),
    getArgByIndex: (index: number) => [{}, response][index],
    getArgs: () => [{}, response],
  } as unknown as ArgumentsHost;
  return { host, response };
}

describe('isDatabaseUnavailable', () => {
  it.each([
    'SQLITE_FULL',
    'SQLITE_READONLY',
    'SQLITE_IOERR',
    'SQLITE_CANTOPEN',
    'SQLITE_BUSY',
    '53100',
    '25006',
    '57P03',
    '08006',
    'ECONNREFUSED',
  ])('is true for %s', (code) => expect(isDatabaseUnavailable(queryFailed(code))).toBe(true));

  it.each(['SQLITE_CONSTRAINT', 'SQLITE_ERROR', '23505', '42P01'])(
    'is false for %s, a fault of the query',
    (code) => expect(isDatabaseUnavailable(queryFailed(code))).toBe(false),
  );

  it.each([
    'timeout exceeded when trying to connect',
    'Connection terminated unexpectedly',
    'Connection terminated due to connection timeout',
  ])("is true for node-postgres's connection error %s", (message) =>
    expect(isDatabaseUnavailable(new Error(message))).toBe(true),
  );

  it('is false for errors without a code', () => {
    expect(isDatabaseUnavailable(new Error('SQLITE_FULL in the text only'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});

describe('DatabaseUnavailableFilter', () => {
  it('answers 503 with a sentence for the user, and marks writes as failing', () => {
    const status = new DatabaseWriteStatus();
    const filter = new DatabaseUnavailableFilter(status);
    const { host, response } = httpHost();
    filter.catch(queryFailed('SQLITE_FULL'), host);
    expect(response.status).toHaveBeenCalledWith(HttpStatus.SERVICE_UNAVAILABLE);
    expect(response.json).toHaveBeenCalledWith({
      statusCode: 503,
      error: 'Database Unavailable',
      message: DATABASE_UNAVAILABLE_MESSAGE,
    });
    expect(status.current()?.message).toMatch(/SQLITE_FULL/);
  });

  it("leaves any other query failure to Nest's default: a 500 without the query", () => {
    const status = new DatabaseWriteStatus();
    const filter = new DatabaseUnavailableFilter(status);
    const reply = jest.fn();
    (filter as unknown as { httpAdapterHost: HttpAdapterHost }).httpAdapterHost = {
      httpAdapter: { reply, isHeadersSent: () => false, end: jest.fn() },
    } as unknown as HttpAdapterHost;
    const { host } = httpHost();
    filter.catch(queryFailed('SQLITE_CONSTRAINT'), host);
    expect(reply).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ statusCode: 500 }), 500);
    expect(status.current()).toBeNull();
  });
});

describe('DatabaseWriteStatus', () => {
  it('keeps the first failure time until a write succeeds', () => {
    const status = new DatabaseWriteStatus();
    status.failed('SQLITE_FULL: one', new Date('2026-11-28T10:00:00Z'));
    status.failed('SQLITE_FULL: two', new Date('2026-11-28T10:00:05Z'));
    expect(status.current()).toEqual({ message: 'SQLITE_FULL: two', since: '2026-11-28T10:00:00.000Z' });
    status.succeeded();
    expect(status.current()).toBeNull();
  });
});
