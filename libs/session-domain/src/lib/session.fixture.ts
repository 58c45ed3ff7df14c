// Test builders for sessions and observations: readable defaults, override what a test is about.
import type { EndMarkerObservation, ReadinessObservation, SlurmJobObservation } from './observation';
import { type Session, createSession } from './session';
import type { SessionState } from './session-state';

export const T0 = new Date('2025-03-04T12:00:00.000Z');

/** T0 plus some minutes: tests speak in minutes, not milliseconds. */
export function minutesAfter(minutes: number, from: Date = T0): Date {
  return new Date(from.getTime() + minutes * 60_000);
}

export function aSession(overrides: Partial<Session> = {}): Session {
  return {
    ...createSession({
      id: 'sess-1',
      owner: 'alice',
      appId: 'gedit',
      appTitle: 'Text editor',
      values: { hours: 2, partition: 'viz' },
      submitToken: 'vp-token-1',
      timeLimitMinutes: 120,
      now: T0,
    }),
    ...overrides,
  };
}

/** A session as it would look in a given state after an ordinary life up to that point. */
export function aSessionIn(state: SessionState, overrides: Partial<Session> = {}): Session {
  const base = aSession();
  const byState: Record<SessionState, Partial<Session>> = {
    submitting: {},
    queued: { state: 'queued', jobId: '101', slurm: { state: 'PENDING', flags: [], reason: 'Resources' } },
    starting: {
      state: 'starting',
      jobId: '101',
      slurm: { state: 'RUNNING', flags: [], reason: 'None' },
      node: 'viz01',
      startedAt: minutesAfter(1),
    },
    running: {
      state: 'running',
      jobId: '101',
      slurm: { state: 'RUNNING', flags: [], reason: 'None' },
      node: 'viz01',
      startedAt: minutesAfter(1),
      readyAt: minutesAfter(2),
      endpoint: { port: 5901, display: 1 },
    },
    completed: {
      state: 'completed',
      jobId: '101',
      endReason: 'app-exited',
      exitCode: 0,
      endedAt: minutesAfter(30),
    },
    failed: { state: 'failed', jobId: '101', endReason: 'node-failure', endedAt: minutesAfter(30) },
    cancelled: {
      state: 'cancelled',
      jobId: '101',
      endReason: 'cancelled-by-user',
      endedAt: minutesAfter(30),
    },
    timed_out: { state: 'timed_out', jobId: '101', endReason: 'time-limit', endedAt: minutesAfter(121) },
  };
  return { ...base, ...byState[state], ...overrides };
}

export function aSlurmJob(
  base: string,
  overrides: Partial<Omit<SlurmJobObservation, 'kind' | 'state'>> & { flags?: string[] } = {},
): SlurmJobObservation {
  const { flags = [], ...rest } = overrides;
  const pending = base === 'PENDING';
  return {
    kind: 'slurm-job',
    at: minutesAfter(5),
    state: { base, flags },
    reason: pending ? 'Resources' : 'None',
    node: pending ? null : 'viz01',
    expectedStartAt: pending ? minutesAfter(25) : null,
    startedAt: pending ? null : minutesAfter(1),
    endedAt: null,
    timeLimitMinutes: 120,
    exitCode: null,
    ...rest,
  };
}

export function aReadiness(
  overrides: Partial<Omit<ReadinessObservation, 'kind'>> = {},
): ReadinessObservation {
  return { kind: 'readiness', at: minutesAfter(3), port: 5901, display: 1, ...overrides };
}

export function anEndMarker(
  overrides: Partial<Omit<EndMarkerObservation, 'kind'>> = {},
): EndMarkerObservation {
  return { kind: 'end-marker', at: minutesAfter(40), exitCode: 0, reason: 'app-exited', ...overrides };
}
