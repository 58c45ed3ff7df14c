import * as api from '../index';
import { toSessionDto } from './session.dto';
import { aSessionIn, minutesAfter } from './session.fixture';

describe('toSessionDto', () => {
  const now = minutesAfter(10);

  it('carries a running session with ISO dates and the words to show', () => {
    const session = aSessionIn('running', { startedAt: minutesAfter(2), updatedAt: minutesAfter(3) });
    expect(toSessionDto(session, now)).toEqual({
      id: 'sess-1',
      appId: 'gedit',
      appTitle: 'Text editor',
      owner: 'alice',
      state: 'running',
      values: { hours: 2, partition: 'viz' },
      jobId: '101',
      node: 'viz01',
      slurmState: 'RUNNING',
      slurmFlags: [],
      slurmReason: 'None',
      createdAt: '2025-03-04T12:00:00.000Z',
      updatedAt: '2025-03-04T12:03:00.000Z',
      expectedStartAt: null,
      startedAt: '2025-03-04T12:02:00.000Z',
      readyAt: '2025-03-04T12:02:00.000Z',
      endedAt: null,
      timeLimitMinutes: 120,
      extendedMinutes: 0,
      timeLeftMinutes: 112,
      timeWarningAt: '2025-03-04T13:52:00.000Z',
      idleStop: null,
      exitCode: null,
      endReason: null,
      message: null,
      headline: 'Running on viz01',
      detail: '1 h 52 min left',
      canConnect: true,
      canStop: true,
      canDelete: false,
      canExtend: true,
    });
  });

  it('never carries what the browser must not learn: the VNC endpoint and the submit token', () => {
    const dto = toSessionDto(aSessionIn('running'), now) as unknown as Record<string, unknown>;
    expect(dto).not.toHaveProperty('endpoint');
    expect(dto).not.toHaveProperty('submitToken');
    expect(JSON.stringify(dto)).not.toContain('5901');
  });

  it("says when to warn of the time limit, by the site's rule, only for a running session with a longer limit", () => {
    const running = aSessionIn('running', { startedAt: minutesAfter(2), timeLimitMinutes: 60 });
    expect(toSessionDto(running, now, { timeWarningMinutes: 15 }).timeWarningAt).toBe(
      '2025-03-04T12:47:00.000Z',
    );
    expect(toSessionDto(running, now, { timeWarningMinutes: 0 }).timeWarningAt).toBeNull();
    expect(toSessionDto(running, now, { timeWarningMinutes: 60 }).timeWarningAt).toBeNull();
    expect(toSessionDto({ ...running, timeLimitMinutes: null }, now).timeWarningAt).toBeNull();
    expect(toSessionDto(aSessionIn('starting'), now).timeWarningAt).toBeNull();
    expect(toSessionDto(aSessionIn('timed_out'), now).timeWarningAt).toBeNull();
  });

  it('a queued session carries its expected start', () => {
    const dto = toSessionDto(aSessionIn('queued', { expectedStartAt: minutesAfter(30) }), now);
    expect(dto).toMatchObject({
      expectedStartAt: '2025-03-04T12:30:00.000Z',
      canConnect: false,
      canStop: true,
      headline: 'Queued: waiting for resources',
    });
  });

  it('an ended session can be deleted, not stopped or opened', () => {
    const dto = toSessionDto(aSessionIn('timed_out'), now);
    expect(dto).toMatchObject({
      canConnect: false,
      canStop: false,
      canDelete: true,
      headline: 'Ended: time limit reached',
    });
  });

  it('survives a JSON round trip unchanged (what the socket does to it)', () => {
    const dto = toSessionDto(aSessionIn('starting'), now);
    expect(JSON.parse(JSON.stringify(dto))).toEqual(dto);
  });

  it('is exported with the socket event names from the public API', () => {
    expect(api.toSessionDto).toBe(toSessionDto);
    expect([api.SESSION_UPDATED_EVENT, api.SESSION_REMOVED_EVENT, api.SCHEDULER_STATUS_EVENT]).toEqual([
      'session.updated',
      'session.removed',
      'scheduler.status',
    ]);
  });
});

describe('toSessionDto: the idle stop', () => {
  it('carries the warned idle stop of a running session, and none once it has ended', () => {
    const idleWarning = { stopAt: minutesAfter(200), reason: 'Stopped after 2 h without a connection.' };
    const warned = aSessionIn('running', { idleWarning });
    expect(toSessionDto(warned, minutesAfter(195)).idleStop).toEqual({
      at: minutesAfter(200).toISOString(),
      reason: 'Stopped after 2 h without a connection.',
    });
    expect(toSessionDto(aSessionIn('completed', { idleWarning }), minutesAfter(195)).idleStop).toBeNull();
  });
});
