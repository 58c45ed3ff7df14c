// A SessionDto for unit tests, as the API would send it; override what the test is about.
import type { SessionDto } from '@vizportal/session-domain';

export function sessionDto(overrides: Partial<SessionDto> = {}): SessionDto {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    appId: 'desktop',
    appTitle: 'Desktop',
    owner: 'alice',
    state: 'queued',
    values: { partition: 'viz', cpus: 2 },
    jobId: '42',
    node: null,
    slurmState: 'PENDING',
    slurmFlags: [],
    slurmReason: 'Resources',
    createdAt: '2026-03-02T10:00:00.000Z',
    updatedAt: '2026-03-02T10:00:00.000Z',
    expectedStartAt: null,
    startedAt: null,
    readyAt: null,
    endedAt: null,
    timeLimitMinutes: 60,
    extendedMinutes: 0,
    timeLeftMinutes: null,
    timeWarningAt: null,
    idleStop: null,
    exitCode: null,
    endReason: null,
    message: null,
    headline: 'Queued: waiting for resources',
    detail: null,
    canConnect: false,
    canStop: true,
    canDelete: false,
    canExtend: false,
    ...overrides,
  };
}

/** The API's default: the user is warned 10 minutes before the time limit. */
export const TIME_WARNING_MINUTES = 10;

/** A running session started `minutesAgo` before `now`, warned of as the API's default would. */
export function runningSessionDto(
  now: number,
  minutesAgo: number,
  overrides: Partial<SessionDto> = {},
): SessionDto {
  const startedAt = now - minutesAgo * 60_000;
  const limit = overrides.timeLimitMinutes === undefined ? 60 : overrides.timeLimitMinutes;
  const warnAt =
    limit !== null && limit > TIME_WARNING_MINUTES
      ? startedAt + (limit - TIME_WARNING_MINUTES) * 60_000
      : null;
  return sessionDto({
    timeWarningAt: warnAt === null ? null : new Date(warnAt).toISOString(),
    state: 'running',
    node: 'viz01',
    slurmState: 'RUNNING',
    slurmReason: null,
    startedAt: new Date(startedAt).toISOString(),
    readyAt: new Date(startedAt + 5_000).toISOString(),
    headline: 'Running on viz01',
    canConnect: true,
    canExtend: true,
    ...overrides,
  });
}
