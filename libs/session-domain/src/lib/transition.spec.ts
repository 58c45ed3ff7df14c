import type { EndMarkerObservation, EndMarkerReason, Observation } from './observation';
import { END_MARKER_REASONS, SLURM_BASE_STATES } from './observation';
import type { EndReason, Session } from './session';
import {
  T0,
  aReadiness,
  aSession,
  aSessionIn,
  aSlurmJob,
  anEndMarker,
  minutesAfter,
} from './session.fixture';
import {
  LIVE_SESSION_STATES,
  type LiveSessionState,
  type SessionState,
  TERMINAL_SESSION_STATES,
} from './session-state';
import { DEFAULT_TRANSITION_RULES, needsReadinessTimeout, transition } from './transition';

type Outcome = [SessionState, EndReason | null];

/** Deep-frozen, so a transition that mutates its input throws in strict mode. */
function frozen(session: Session): Session {
  for (const value of Object.values(session)) {
    if (value && typeof value === 'object' && !(value instanceof Date)) Object.freeze(value);
  }
  return Object.freeze(session);
}

function run(session: Session, ...observations: Observation[]): Session {
  return observations.reduce((current, observation) => transition(current, observation).session, session);
}

describe('transition: every Slurm base state from every live session state', () => {
  // Columns: submitting, queued, starting, running (running = readiness already received).
  const expected: Record<string, Record<LiveSessionState, Outcome>> = {
    PENDING: {
      submitting: ['queued', null],
      queued: ['queued', null],
      starting: ['queued', null],
      running: ['queued', null], // requeued: the desktop is gone
    },
    RUNNING: {
      submitting: ['starting', null],
      queued: ['starting', null],
      starting: ['starting', null],
      running: ['running', null],
    },
    SUSPENDED: {
      submitting: ['queued', null],
      queued: ['queued', null],
      starting: ['starting', null],
      running: ['running', null],
    },
    COMPLETED: Object.fromEntries(LIVE_SESSION_STATES.map((s) => [s, ['completed', 'app-exited']])) as never,
    CANCELLED: Object.fromEntries(LIVE_SESSION_STATES.map((s) => [s, ['cancelled', 'cancelled']])) as never,
    FAILED: Object.fromEntries(LIVE_SESSION_STATES.map((s) => [s, ['failed', 'failed']])) as never,
    TIMEOUT: Object.fromEntries(LIVE_SESSION_STATES.map((s) => [s, ['timed_out', 'time-limit']])) as never,
    NODE_FAIL: Object.fromEntries(LIVE_SESSION_STATES.map((s) => [s, ['failed', 'node-failure']])) as never,
    PREEMPTED: Object.fromEntries(LIVE_SESSION_STATES.map((s) => [s, ['failed', 'preempted']])) as never,
    BOOT_FAIL: Object.fromEntries(LIVE_SESSION_STATES.map((s) => [s, ['failed', 'boot-failure']])) as never,
    DEADLINE: Object.fromEntries(LIVE_SESSION_STATES.map((s) => [s, ['failed', 'deadline']])) as never,
    OUT_OF_MEMORY: Object.fromEntries(
      LIVE_SESSION_STATES.map((s) => [s, ['failed', 'out-of-memory']]),
    ) as never,
    // A state this code doesn't know: keep the state, record Slurm's word.
    RESV_DEL_HOLD: {
      submitting: ['queued', null],
      queued: ['queued', null],
      starting: ['starting', null],
      running: ['running', null],
    },
  };

  it('covers every documented base state', () => {
    expect(SLURM_BASE_STATES.filter((base) => !(base in expected))).toEqual([]);
  });

  const cases = Object.entries(expected).flatMap(([base, row]) =>
    LIVE_SESSION_STATES.map((from) => ({ base, from, to: row[from][0], endReason: row[from][1] })),
  );

  it.each(cases)('$base on a $from session → $to ($endReason)', ({ base, from, to, endReason }) => {
    const before = frozen(aSessionIn(from));
    const { session, events } = transition(
      before,
      aSlurmJob(base, { endedAt: minutesAfter(6), exitCode: 0 }),
    );

    expect(session.state).toBe(to);
    expect(session.endReason).toBe(endReason);
    expect(session.slurm).toEqual({
      state: base,
      flags: [],
      reason: base === 'PENDING' ? 'Resources' : 'None',
    });
    if (to !== from) expect(events).toEqual([{ type: 'state-changed', from, to }]);
    if (endReason) expect(session.endedAt).toEqual(minutesAfter(6));
    else expect(session.endedAt).toBeNull();
    if (to === 'running') expect(session.endpoint).not.toBeNull();
    else expect(session.endpoint).toBeNull();
  });

  it('RUNNING with CONFIGURING keeps a not-yet-ready session queued (the node is starting)', () => {
    for (const from of ['submitting', 'queued', 'starting'] as const) {
      const { session } = transition(aSessionIn(from), aSlurmJob('RUNNING', { flags: ['CONFIGURING'] }));
      expect(session.state).toBe('queued');
      expect(session.slurm?.flags).toEqual(['CONFIGURING']);
    }
    expect(
      transition(aSessionIn('running'), aSlurmJob('RUNNING', { flags: ['CONFIGURING'] })).session.state,
    ).toBe('running');
  });

  it('PENDING held or requeued is queued, with the reason kept', () => {
    const held = transition(aSessionIn('queued'), aSlurmJob('PENDING', { reason: 'JobHeldUser' })).session;
    expect(held.state).toBe('queued');
    expect(held.slurm?.reason).toBe('JobHeldUser');
    const requeued = transition(
      aSessionIn('running'),
      aSlurmJob('PENDING', { flags: ['REQUEUED'], reason: 'BeginTime', at: minutesAfter(10) }),
    ).session;
    expect(requeued).toMatchObject({ state: 'queued', readyAt: null, endpoint: null });
    expect(requeued.slurm).toEqual({ state: 'PENDING', flags: ['REQUEUED'], reason: 'BeginTime' });
  });

  it('COMPLETED ends completed even if an exit code came along (Slurm puts nonzero exits under FAILED)', () => {
    const { session } = transition(aSessionIn('running'), aSlurmJob('COMPLETED', { exitCode: 0 }));
    expect(session).toMatchObject({ state: 'completed', endReason: 'app-exited', exitCode: 0 });
  });

  it('FAILED keeps the exit code', () => {
    const { session } = transition(aSessionIn('running'), aSlurmJob('FAILED', { exitCode: 2 }));
    expect(session).toMatchObject({ state: 'failed', endReason: 'failed', exitCode: 2 });
  });

  it('a terminal report without end time, node or start keeps what was known and ends at the observation', () => {
    const obs = aSlurmJob('NODE_FAIL', { node: null, startedAt: null, endedAt: null, at: minutesAfter(9) });
    const { session } = transition(aSessionIn('running'), obs);
    expect(session).toMatchObject({ node: 'viz01', startedAt: minutesAfter(1), endedAt: minutesAfter(9) });
  });

  it('matches states and flags case-insensitively but records them as given', () => {
    const { session } = transition(aSessionIn('queued'), aSlurmJob('running', { flags: ['configuring'] }));
    expect(session.state).toBe('queued');
    expect(session.slurm).toMatchObject({ state: 'running', flags: ['configuring'] });
  });

  it('a later start time means Slurm restarted the job: readiness is forgotten', () => {
    const { session } = transition(
      aSessionIn('running'),
      aSlurmJob('RUNNING', { startedAt: minutesAfter(8), at: minutesAfter(9) }),
    );
    expect(session).toMatchObject({
      state: 'starting',
      readyAt: null,
      endpoint: null,
      startedAt: minutesAfter(8),
    });
  });

  it('a suspended job that restarted is not ready any more', () => {
    const { session } = transition(
      aSessionIn('running'),
      aSlurmJob('SUSPENDED', { startedAt: minutesAfter(8), at: minutesAfter(9) }),
    );
    expect(session).toMatchObject({ state: 'starting', endpoint: null });
  });
});

describe('transition: every observation kind from every live session state', () => {
  const observations: Record<Exclude<Observation['kind'], 'slurm-job'>, Observation> = {
    submitted: { kind: 'submitted', at: minutesAfter(5), jobId: '202' },
    'submit-rejected': {
      kind: 'submit-rejected',
      at: minutesAfter(5),
      message: 'Invalid partition name specified',
    },
    'job-not-listed': { kind: 'job-not-listed', at: minutesAfter(5) },
    'end-marker': anEndMarker({ at: minutesAfter(5) }),
    readiness: aReadiness({ at: minutesAfter(5) }),
    'scheduler-unreachable': { kind: 'scheduler-unreachable', at: minutesAfter(5) },
    'user-stop': { kind: 'user-stop', at: minutesAfter(5) },
    'readiness-timeout': {
      kind: 'readiness-timeout',
      at: minutesAfter(5),
      logTail: 'Xvnc: cannot open display\n',
    },
    'time-extended': { kind: 'time-extended', at: minutesAfter(5), timeLimitMinutes: 180, addedMinutes: 60 },
    viewed: { kind: 'viewed', at: minutesAfter(5) },
    input: { kind: 'input', at: minutesAfter(5) },
    'idle-kept': { kind: 'idle-kept', at: minutesAfter(5) },
    'idle-warning': {
      kind: 'idle-warning',
      at: minutesAfter(5),
      stopAt: minutesAfter(15),
      reason: 'Stopped after 2 h without a connection.',
    },
    'idle-stop': {
      kind: 'idle-stop',
      at: minutesAfter(5),
      reason: 'Stopped after 2 h without a connection.',
    },
  };
  // null: no change at all.
  const expected: Record<keyof typeof observations, Record<LiveSessionState, Outcome | 'details' | null>> = {
    submitted: { submitting: ['queued', null], queued: null, starting: null, running: null },
    'submit-rejected': { submitting: ['failed', 'rejected'], queued: null, starting: null, running: null },
    'job-not-listed': { submitting: null, queued: 'details', starting: 'details', running: 'details' },
    'end-marker': {
      submitting: ['completed', 'app-exited'],
      queued: ['completed', 'app-exited'],
      starting: ['completed', 'app-exited'],
      running: ['completed', 'app-exited'],
    },
    readiness: {
      submitting: ['running', null],
      queued: ['running', null],
      starting: ['running', null],
      running: null, // the same endpoint again
    },
    'scheduler-unreachable': { submitting: null, queued: null, starting: null, running: null },
    'user-stop': {
      submitting: ['cancelled', 'cancelled-by-user'],
      queued: ['cancelled', 'cancelled-by-user'],
      starting: ['cancelled', 'cancelled-by-user'],
      running: ['cancelled', 'cancelled-by-user'],
    },
    'readiness-timeout': {
      submitting: null,
      queued: null,
      starting: ['failed', 'readiness-timeout'],
      running: null,
    },
    'time-extended': { submitting: null, queued: null, starting: null, running: 'details' },
    viewed: { submitting: null, queued: null, starting: null, running: 'details' },
    input: { submitting: null, queued: null, starting: null, running: 'details' },
    'idle-kept': { submitting: null, queued: null, starting: null, running: 'details' },
    'idle-warning': { submitting: null, queued: null, starting: null, running: 'details' },
    'idle-stop': { submitting: null, queued: null, starting: null, running: ['cancelled', 'idle'] },
  };

  const cases = Object.entries(expected).flatMap(([kind, row]) =>
    LIVE_SESSION_STATES.map((from) => ({
      kind: kind as keyof typeof observations,
      from,
      outcome: row[from],
    })),
  );

  it.each(cases)('$kind on a $from session', ({ kind, from, outcome }) => {
    const before = frozen(aSessionIn(from));
    const { session, events } = transition(before, observations[kind]);
    if (outcome === null) {
      expect(session).toBe(before);
      expect(events).toEqual([]);
    } else if (outcome === 'details') {
      expect(session.state).toBe(from);
      expect(events).toEqual([{ type: 'details-changed', fields: expect.any(Array) }]);
    } else {
      const [to, endReason] = outcome;
      expect(session.state).toBe(to);
      expect(session.endReason).toBe(endReason);
      expect(events).toEqual([{ type: 'state-changed', from, to }]);
      expect(session.updatedAt).toEqual(minutesAfter(5));
    }
  });

  it('submitted records the job id', () => {
    expect(transition(aSession(), observations.submitted).session.jobId).toBe('202');
  });

  it("keeps the job id of an sbatch answer that arrives after the job's readiness report", () => {
    const ready = transition(aSession(), {
      kind: 'readiness',
      at: minutesAfter(1),
      port: 5920,
      display: 20,
    }).session;
    expect(ready.state).toBe('running');
    const { session, events } = transition(ready, { kind: 'submitted', at: minutesAfter(2), jobId: '77' });
    expect(session).toMatchObject({ state: 'running', jobId: '77' });
    expect(events).toEqual([{ type: 'details-changed', fields: ['jobId'] }]);
  });

  it("submit-rejected keeps Slurm's message for the user", () => {
    const { session } = transition(aSession(), observations['submit-rejected']);
    expect(session).toMatchObject({ message: 'Invalid partition name specified', endedAt: minutesAfter(5) });
    const blank = transition(aSession(), { kind: 'submit-rejected', at: T0, message: '  ' }).session;
    expect(blank.message).toBe('Slurm rejected the job.');
  });

  it('readiness-timeout keeps the log tail as the message', () => {
    const { session } = transition(aSessionIn('starting'), observations['readiness-timeout']);
    expect(session.message).toBe('Xvnc: cannot open display');
    const silent = transition(aSessionIn('starting'), {
      kind: 'readiness-timeout',
      at: T0,
      logTail: '\n',
    }).session;
    expect(silent).toMatchObject({ state: 'failed', message: null });
  });

  it('time-extended sets the new limit and adds to what was extended, so the time left follows', () => {
    const once = transition(aSessionIn('running'), observations['time-extended']).session;
    expect(once).toMatchObject({ timeLimitMinutes: 180, extendedMinutes: 60 });
    const twice = transition(once, {
      kind: 'time-extended',
      at: minutesAfter(6),
      timeLimitMinutes: 210,
      addedMinutes: 30,
    }).session;
    expect(twice).toMatchObject({ timeLimitMinutes: 210, extendedMinutes: 90, updatedAt: minutesAfter(6) });
  });

  it('user-stop records the end time and drops the endpoint', () => {
    const { session } = transition(aSessionIn('running'), observations['user-stop']);
    expect(session).toMatchObject({ endedAt: minutesAfter(5), endpoint: null });
  });
});

describe('transition: terminal sessions never change', () => {
  const everything: Observation[] = [
    ...SLURM_BASE_STATES.map((base) => aSlurmJob(base, { at: minutesAfter(200) })),
    aSlurmJob('RUNNING', { flags: ['CONFIGURING'], at: minutesAfter(200) }),
    { kind: 'submitted', at: minutesAfter(200), jobId: '9' },
    { kind: 'submit-rejected', at: minutesAfter(200), message: 'no' },
    { kind: 'job-not-listed', at: minutesAfter(200) },
    { kind: 'job-not-listed', at: minutesAfter(2000) },
    anEndMarker({ at: minutesAfter(200), exitCode: 1, reason: 'xvnc-failed' }),
    aReadiness({ at: minutesAfter(200) }),
    { kind: 'scheduler-unreachable', at: minutesAfter(200) },
    { kind: 'time-extended', at: minutesAfter(200), timeLimitMinutes: 600, addedMinutes: 60 },
    { kind: 'user-stop', at: minutesAfter(200) },
    { kind: 'readiness-timeout', at: minutesAfter(200), logTail: 'x' },
  ];
  const cases = TERMINAL_SESSION_STATES.flatMap((state) =>
    everything.map((observation) => ({
      state,
      observation,
      label: observation.kind === 'slurm-job' ? `slurm-job ${observation.state.base}` : observation.kind,
    })),
  );

  it.each(cases)('$state ignores $label', ({ state, observation }) => {
    const before = frozen(aSessionIn(state, { notListedSince: null }));
    const { session, events } = transition(before, observation);
    expect(session).toBe(before);
    expect(events).toEqual([]);
  });

  it('readiness on a terminal session is ignored', () => {
    const before = aSessionIn('cancelled');
    expect(transition(before, aReadiness()).session.endpoint).toBeNull();
  });
});

describe('transition: an unreachable scheduler never ends a session', () => {
  it.each(LIVE_SESSION_STATES)('%s stays as it is through three days of silence', (state) => {
    const before = frozen(aSessionIn(state, { notListedSince: minutesAfter(3) }));
    let session = before;
    for (let minute = 0; minute < 3 * 24 * 60; minute += 10) {
      const result = transition(session, { kind: 'scheduler-unreachable', at: minutesAfter(minute) });
      expect(result.events).toEqual([]);
      session = result.session;
    }
    expect(session).toBe(before);
  });
});

describe('transition: a job that is no longer listed', () => {
  const grace = DEFAULT_TRANSITION_RULES.vanishGraceMs / 60_000;
  const miss = (minute: number): Observation => ({ kind: 'job-not-listed', at: minutesAfter(minute) });

  it('never ends on the first miss: it only records when the job went missing', () => {
    const { session, events } = transition(aSessionIn('running'), miss(10));
    expect(session).toMatchObject({ state: 'running', notListedSince: minutesAfter(10), endedAt: null });
    expect(events).toEqual([{ type: 'details-changed', fields: ['notListedSince'] }]);
  });

  it('does nothing further within the grace period', () => {
    const missing = run(aSessionIn('running'), miss(10));
    const { session, events } = transition(missing, {
      kind: 'job-not-listed',
      at: new Date(minutesAfter(10).getTime() + DEFAULT_TRANSITION_RULES.vanishGraceMs - 1),
    });
    expect(session).toBe(missing);
    expect(events).toEqual([]);
  });

  it('ends completed/vanished once the grace period has passed, dated by the first miss', () => {
    const { session, events } = transition(run(aSessionIn('running'), miss(10)), miss(10 + grace));
    expect(session).toMatchObject({
      state: 'completed',
      endReason: 'vanished',
      endedAt: minutesAfter(10),
      notListedSince: null,
      endpoint: null,
    });
    expect(events).toEqual([{ type: 'state-changed', from: 'running', to: 'completed' }]);
  });

  it('a reappearance resets the count', () => {
    const back = run(aSessionIn('running'), miss(10), aSlurmJob('RUNNING', { at: minutesAfter(11) }));
    expect(back).toMatchObject({ state: 'running', notListedSince: null });
    const again = run(back, miss(12), miss(12 + grace - 1));
    expect(again).toMatchObject({ state: 'running', notListedSince: minutesAfter(12) });
    expect(run(again, miss(12 + grace)).state).toBe('completed');
  });

  it('a readiness report is a sign of life too', () => {
    const back = run(aSessionIn('starting'), miss(10), aReadiness({ at: minutesAfter(11) }));
    expect(back).toMatchObject({ state: 'running', notListedSince: null });
  });

  it('follows the rules it is given', () => {
    const rules = { ...DEFAULT_TRANSITION_RULES, vanishGraceMs: 30 * 60_000 };
    const missing = transition(aSessionIn('queued'), miss(10), rules).session;
    expect(transition(missing, miss(10 + grace), rules).session.state).toBe('queued');
    expect(transition(missing, miss(40), rules).session.state).toBe('completed');
  });

  it('an end marker settles a missing job at once', () => {
    const ended = run(aSessionIn('running'), miss(10), anEndMarker({ at: minutesAfter(11), exitCode: 0 }));
    expect(ended).toMatchObject({ state: 'completed', endReason: 'app-exited', notListedSince: null });
  });
});

describe('transition: readiness before RUNNING', () => {
  it('a queued session becomes running as soon as the job reports ready', () => {
    const { session, events } = transition(aSessionIn('queued'), aReadiness({ at: minutesAfter(3) }));
    expect(session).toMatchObject({
      state: 'running',
      readyAt: minutesAfter(3),
      endpoint: { port: 5901, display: 1 },
    });
    expect(events).toEqual([{ type: 'state-changed', from: 'queued', to: 'running' }]);
  });

  it('the next RUNNING poll keeps it running and fills in the node', () => {
    const ready = run(aSessionIn('queued'), aReadiness({ at: minutesAfter(3) }));
    const { session, events } = transition(
      ready,
      aSlurmJob('RUNNING', { at: minutesAfter(4), node: 'viz02' }),
    );
    expect(session).toMatchObject({ state: 'running', node: 'viz02' });
    expect(events).toEqual([{ type: 'details-changed', fields: expect.arrayContaining(['node', 'slurm']) }]);
  });

  it('a poll sent before the readiness arrived is stale and cannot undo it', () => {
    const ready = run(aSessionIn('queued'), aReadiness({ at: minutesAfter(3) }));
    const stale = transition(ready, aSlurmJob('PENDING', { at: minutesAfter(2) }));
    expect(stale.session).toBe(ready);
    expect(stale.events).toEqual([]);
  });

  it('a repeated readiness report with a new port updates the endpoint only', () => {
    const running = aSessionIn('running');
    const { session, events } = transition(
      running,
      aReadiness({ at: minutesAfter(20), port: 5902, display: 2 }),
    );
    expect(session).toMatchObject({
      state: 'running',
      readyAt: running.readyAt,
      endpoint: { port: 5902, display: 2 },
    });
    expect(events).toEqual([{ type: 'details-changed', fields: ['endpoint'] }]);
  });
});

describe('transition: the end marker', () => {
  const started = aSessionIn('running', { startedAt: minutesAfter(1), timeLimitMinutes: 60 });

  const markerCases = [
    {
      marker: { exitCode: 0, reason: 'app-exited' },
      state: 'completed',
      endReason: 'app-exited',
      message: null,
    },
    {
      marker: { exitCode: null, reason: 'app-exited' },
      state: 'completed',
      endReason: 'app-exited',
      message: null,
    },
    { marker: { exitCode: 3, reason: 'app-exited' }, state: 'failed', endReason: 'failed', message: null },
    {
      marker: { exitCode: 1, reason: 'xvnc-failed' },
      state: 'failed',
      endReason: 'failed',
      message: expect.stringContaining('no free VNC display'),
    },
    {
      marker: { exitCode: 1, reason: 'setup-failed' },
      state: 'failed',
      endReason: 'failed',
      message: expect.stringContaining('The node lacks something a desktop needs'),
    },
    {
      marker: { exitCode: 143, reason: 'terminated' },
      state: 'cancelled',
      endReason: 'terminated',
      message: null,
    },
    // The wrapper saw its time limit come: timed out even when the session never learnt its start.
    {
      marker: { exitCode: 143, reason: 'time-limit' },
      state: 'timed_out',
      endReason: 'time-limit',
      message: null,
    },
  ] satisfies { marker: { exitCode: number | null; reason: EndMarkerReason }; [key: string]: unknown }[];

  it.each(markerCases)(
    '$marker.reason with exit code $marker.exitCode → $state/$endReason',
    ({ marker, state, endReason, message }) => {
      const { session } = transition(started, anEndMarker({ ...marker, at: minutesAfter(30) }));
      expect(session).toMatchObject({
        state,
        endReason,
        message,
        exitCode: marker.exitCode,
        endedAt: minutesAfter(30),
      });
    },
  );

  it('covers every reason the wrapper writes', () => {
    const covered = new Set(markerCases.map(({ marker }) => marker.reason));
    expect([...covered].sort()).toEqual([...END_MARKER_REASONS].sort());
  });

  it('time-limit ends the session timed out with no start time or limit known', () => {
    const unknownStart = aSessionIn('running', { startedAt: null, timeLimitMinutes: null });
    const { session } = transition(
      unknownStart,
      anEndMarker({ exitCode: 143, reason: 'time-limit', at: minutesAfter(30) }),
    );
    expect(session).toMatchObject({ state: 'timed_out', endReason: 'time-limit' });
  });

  it('a reason this version does not know ends the session failed, naming it', () => {
    const marker = {
      ...anEndMarker({ exitCode: 1 }),
      reason: 'from-a-newer-wrapper',
    } as unknown as EndMarkerObservation;
    const { session } = transition(started, marker);
    expect(session).toMatchObject({
      state: 'failed',
      endReason: 'failed',
      message: 'The job reported: from-a-newer-wrapper',
    });
  });

  it('terminated once the time limit has run out is a timeout', () => {
    const { session } = transition(
      started,
      anEndMarker({ exitCode: 143, reason: 'terminated', at: minutesAfter(61) }),
    );
    expect(session).toMatchObject({ state: 'timed_out', endReason: 'time-limit' });
  });

  it('uses the time the marker was written when it has one', () => {
    const { session } = transition(started, anEndMarker({ at: minutesAfter(90), endedAt: minutesAfter(50) }));
    expect(session.endedAt).toEqual(minutesAfter(50));
  });
});

describe('transition: events and bookkeeping', () => {
  it('no change, no events, same object', () => {
    const starting = frozen(aSessionIn('starting'));
    const result = transition(starting, aSlurmJob('RUNNING', { at: minutesAfter(7) }));
    expect(result.session).toBe(starting);
    expect(result.events).toEqual([]);
  });

  it('a new reason is a details change the UI must hear about', () => {
    const queued = run(aSessionIn('queued'), aSlurmJob('PENDING'));
    const { session, events } = transition(queued, aSlurmJob('PENDING', { reason: 'Priority' }));
    expect(session.slurm?.reason).toBe('Priority');
    expect(events).toEqual([{ type: 'details-changed', fields: ['slurm'] }]);
  });

  it('a new expected start is a details change', () => {
    const queued = run(aSessionIn('queued'), aSlurmJob('PENDING'));
    const { events } = transition(queued, aSlurmJob('PENDING', { expectedStartAt: minutesAfter(40) }));
    expect(events).toEqual([{ type: 'details-changed', fields: ['expectedStartAt'] }]);
  });

  it('updatedAt follows changes and never goes back', () => {
    const before = aSessionIn('queued', { updatedAt: minutesAfter(10) });
    expect(transition(before, aSlurmJob('RUNNING', { at: minutesAfter(12) })).session.updatedAt).toEqual(
      minutesAfter(12),
    );
    expect(transition(before, aSlurmJob('RUNNING', { at: minutesAfter(8) })).session.updatedAt).toEqual(
      minutesAfter(10),
    );
  });

  it('ignores an observation kind it does not know', () => {
    const before = aSessionIn('running');
    const odd = { kind: 'cosmic-ray', at: minutesAfter(9) } as unknown as Observation;
    expect(transition(before, odd)).toEqual({ session: before, events: [] });
  });
});

describe('needsReadinessTimeout', () => {
  const limit = DEFAULT_TRANSITION_RULES.readinessTimeoutMs / 60_000;
  const startedAt = minutesAfter(1);
  it.each([
    { state: 'starting', minutes: limit + 1, expected: true },
    { state: 'starting', minutes: limit, expected: false },
    { state: 'starting', minutes: 1, expected: false },
    { state: 'running', minutes: limit + 1, expected: false },
    { state: 'queued', minutes: limit + 1, expected: false },
    { state: 'failed', minutes: limit + 1, expected: false },
  ] as const)('$state, $minutes min after the start → $expected', ({ state, minutes, expected }) => {
    expect(needsReadinessTimeout(aSessionIn(state, { startedAt }), minutesAfter(minutes, startedAt))).toBe(
      expected,
    );
  });

  it('has nothing to measure without a start time', () => {
    expect(needsReadinessTimeout(aSessionIn('starting', { startedAt: null }), minutesAfter(1000))).toBe(
      false,
    );
  });

  it('follows the rules it is given', () => {
    const rules = { ...DEFAULT_TRANSITION_RULES, readinessTimeoutMs: 60_000 };
    expect(needsReadinessTimeout(aSessionIn('starting', { startedAt }), minutesAfter(3), rules)).toBe(true);
  });
});
