import { END_REASONS } from './session';
import { aSessionIn, minutesAfter } from './session.fixture';
import { describeSession, formatDuration } from './session-view';

describe('describeSession', () => {
  const now = minutesAfter(10);

  it('queued with a reason: what it waits for and when it is expected to start', () => {
    const session = aSessionIn('queued', {
      slurm: { state: 'PENDING', flags: [], reason: 'Resources' },
      expectedStartAt: minutesAfter(35),
    });
    expect(describeSession(session, now)).toEqual({
      headline: 'Queued: waiting for resources',
      detail: 'expected to start in about 25 min',
      timeLeftMinutes: null,
      expectedStartAt: minutesAfter(35),
    });
  });

  it.each([
    ['Priority', 'Queued: waiting behind higher-priority jobs'],
    ['JobHeldUser', 'Queued: held'],
    ['JobHeldAdmin', 'Queued: held by an administrator'],
    ['None', 'Queued'],
    [null, 'Queued'],
  ])('queued with reason %s → %s', (reason, headline) => {
    const session = aSessionIn('queued', { slurm: { state: 'PENDING', flags: [], reason } });
    expect(describeSession(session, now).headline).toBe(headline);
  });

  it('an expected start already past reads "soon"', () => {
    const session = aSessionIn('queued', { expectedStartAt: minutesAfter(5) });
    expect(describeSession(session, now).detail).toBe('expected to start soon');
  });

  it('queued while the node boots', () => {
    const session = aSessionIn('queued', {
      slurm: { state: 'RUNNING', flags: ['CONFIGURING'], reason: 'None' },
    });
    expect(describeSession(session, now).headline).toBe('Queued: starting the node');
  });

  it('running with time left', () => {
    const session = aSessionIn('running', { startedAt: minutesAfter(2), timeLimitMinutes: 120 });
    expect(describeSession(session, now)).toEqual({
      headline: 'Running on viz01',
      detail: '1 h 52 min left',
      timeLeftMinutes: 112,
      expectedStartAt: null,
    });
  });

  it('running without a known time limit says nothing about time', () => {
    const session = aSessionIn('running', { timeLimitMinutes: null });
    expect(describeSession(session, now)).toMatchObject({ detail: null, timeLeftMinutes: null });
  });

  it('time left never goes below zero', () => {
    const session = aSessionIn('running', { startedAt: minutesAfter(0), timeLimitMinutes: 5 });
    expect(describeSession(session, now)).toMatchObject({
      detail: 'less than a minute left',
      timeLeftMinutes: 0,
    });
  });

  it('starting: where, and that the desktop is on its way', () => {
    const session = aSessionIn('starting', { startedAt: minutesAfter(9), timeLimitMinutes: 60 });
    expect(describeSession(session, now)).toMatchObject({
      headline: 'Starting on viz01',
      detail: 'waiting for the desktop, 59 min left',
      timeLeftMinutes: 59,
    });
  });

  it('readiness before the poller saw the node', () => {
    const session = aSessionIn('running', { node: null });
    expect(describeSession(session, now).headline).toBe('Running');
  });

  it('suspended shows as such', () => {
    const session = aSessionIn('running', { slurm: { state: 'SUSPENDED', flags: [], reason: 'None' } });
    expect(describeSession(session, now)).toMatchObject({
      headline: 'Suspended on viz01',
      detail: 'Slurm has paused the job',
    });
  });

  it("an unknown Slurm state is passed on in Slurm's word", () => {
    const session = aSessionIn('running', { slurm: { state: 'SOMETHING_NEW', flags: [], reason: 'None' } });
    expect(describeSession(session, now)).toMatchObject({
      headline: 'Running on viz01',
      detail: 'Slurm reports SOMETHING_NEW',
    });
  });

  it('a job Slurm has stopped listing is being checked', () => {
    const session = aSessionIn('running', { notListedSince: minutesAfter(9) });
    expect(describeSession(session, now).detail).toBe(
      'Slurm no longer lists the job; checking whether it ended',
    );
  });

  it('submitting', () => {
    expect(describeSession(aSessionIn('submitting'), now)).toMatchObject({
      headline: 'Submitting',
      timeLeftMinutes: null,
    });
  });

  it('ended with a node failure', () => {
    expect(describeSession(aSessionIn('failed', { endReason: 'node-failure' }), now)).toEqual({
      headline: 'Ended: node failure',
      detail: null,
      timeLeftMinutes: null,
      expectedStartAt: null,
    });
  });

  it("a rejection shows Slurm's message", () => {
    const session = aSessionIn('failed', {
      endReason: 'rejected',
      message: 'Invalid partition name specified',
    });
    expect(describeSession(session, now)).toMatchObject({
      headline: 'Ended: rejected by Slurm',
      detail: 'Invalid partition name specified',
    });
  });

  it('a failure shows its exit code', () => {
    const session = aSessionIn('failed', { endReason: 'failed', exitCode: 2 });
    expect(describeSession(session, now)).toMatchObject({
      headline: 'Ended: the job failed',
      detail: 'exit code 2',
    });
  });

  it('every end reason has its own words, not its code', () => {
    const headlines = END_REASONS.map(
      (endReason) => describeSession(aSessionIn('completed', { endReason }), now).headline,
    );
    for (const headline of headlines) expect(headline).toMatch(/^Ended: [a-z][a-zA-Z ]*[a-zA-Z]$/);
    expect(new Set(headlines).size).toBe(END_REASONS.length);
  });

  it('an ended session without a reason still reads', () => {
    expect(describeSession(aSessionIn('cancelled', { endReason: null }), now).headline).toBe('Ended');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, 'less than a minute'],
    [0.9, 'less than a minute'],
    [1, '1 min'],
    [45, '45 min'],
    [60, '1 h'],
    [112, '1 h 52 min'],
    [1440, '1 d'],
    [1440 + 185, '1 d 3 h'],
  ])('%s min → %s', (minutes, text) => {
    expect(formatDuration(minutes)).toBe(text);
  });

  it.each([
    [0, '< 1 min'],
    [0.9, '< 1 min'],
    [1, '1 min'],
    [112, '1 h 52 min'],
  ])('compact: %s min → %s', (minutes, text) => {
    expect(formatDuration(minutes, 'compact')).toBe(text);
  });
});
