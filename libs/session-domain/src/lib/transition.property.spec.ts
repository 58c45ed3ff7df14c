// Property: whatever Slurm, the job and the user say, in whatever order, the state machine keeps its invariants.
import fc from 'fast-check';
import { END_MARKER_REASONS, type Observation, SLURM_BASE_STATES } from './observation';
import { END_REASONS, type Session } from './session';
import { aSession, minutesAfter } from './session.fixture';
import { isSessionState, isTerminal } from './session-state';
import { DEFAULT_TRANSITION_RULES, transition } from './transition';

const at = fc.integer({ min: 0, max: 600 }).map((minute) => minutesAfter(minute));
const maybeAt = fc.option(at, { nil: null });

const observation: fc.Arbitrary<Observation> = fc.oneof(
  fc.record({ kind: fc.constant('submitted' as const), at, jobId: fc.constantFrom('101', '102') }),
  fc.record({ kind: fc.constant('submit-rejected' as const), at, message: fc.string() }),
  fc.record({
    kind: fc.constant('slurm-job' as const),
    at,
    state: fc.record({
      base: fc.constantFrom(...SLURM_BASE_STATES, 'REVOKED', 'SOMETHING_NEW'),
      flags: fc.subarray(['CONFIGURING', 'COMPLETING', 'REQUEUED', 'REQUEUE_HOLD', 'STOPPED', 'SIGNALING']),
    }),
    reason: fc.option(fc.constantFrom('Resources', 'Priority', 'None', 'JobHeldUser', 'NodeDown'), {
      nil: null,
    }),
    node: fc.option(fc.constantFrom('viz01', 'viz02'), { nil: null }),
    expectedStartAt: maybeAt,
    startedAt: maybeAt,
    endedAt: maybeAt,
    timeLimitMinutes: fc.option(fc.integer({ min: 1, max: 600 }), { nil: null }),
    exitCode: fc.option(fc.integer({ min: 0, max: 255 }), { nil: null }),
  }),
  fc.record({ kind: fc.constant('job-not-listed' as const), at }),
  fc.record({
    kind: fc.constant('end-marker' as const),
    at,
    exitCode: fc.option(fc.integer({ min: 0, max: 255 }), { nil: null }),
    reason: fc.constantFrom(...END_MARKER_REASONS),
  }),
  fc.record({
    kind: fc.constant('readiness' as const),
    at,
    port: fc.integer({ min: 5900, max: 5999 }),
    display: fc.integer({ min: 1, max: 99 }),
  }),
  fc.record({ kind: fc.constant('scheduler-unreachable' as const), at }),
  fc.record({ kind: fc.constant('user-stop' as const), at }),
  fc.record({ kind: fc.constant('readiness-timeout' as const), at, logTail: fc.string() }),
);

const rules = fc.record({
  vanishGraceMs: fc.integer({ min: 0, max: 120 * 60_000 }),
  readinessTimeoutMs: fc.constant(DEFAULT_TRANSITION_RULES.readinessTimeoutMs),
});

function checkInvariants(session: Session): void {
  expect(isSessionState(session.state)).toBe(true);
  const terminal = isTerminal(session.state);
  // An ended session says why and when; a live one says neither.
  expect(session.endReason !== null).toBe(terminal);
  expect(session.endedAt !== null).toBe(terminal);
  if (session.endReason !== null) expect(END_REASONS).toContain(session.endReason);
  // Only a running session has somewhere to connect to.
  expect(session.endpoint !== null).toBe(session.state === 'running');
  if (session.state === 'running') expect(session.readyAt).not.toBeNull();
}

describe('transition (properties)', () => {
  it('never leaves a terminal state, never invents a state, and reports exactly the changes it makes', () => {
    fc.assert(
      fc.property(fc.array(observation, { maxLength: 40 }), rules, (observations, given) => {
        let session = aSession();
        let ended: Session | null = null;
        for (const next of observations) {
          const result = transition(session, next, given);
          checkInvariants(result.session);
          expect(result.events.length > 0).toBe(result.session !== session);
          expect(result.session.updatedAt.getTime()).toBeGreaterThanOrEqual(session.updatedAt.getTime());
          for (const event of result.events) {
            if (event.type === 'state-changed')
              expect(event).toEqual({ type: 'state-changed', from: session.state, to: result.session.state });
            else expect(result.session.state).toBe(session.state);
          }
          if (ended) expect(result.session).toBe(ended);
          if (isTerminal(result.session.state)) ended = result.session;
          session = result.session;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('an unreachable scheduler changes nothing, whatever came before', () => {
    fc.assert(
      fc.property(fc.array(observation, { maxLength: 20 }), at, (observations, when) => {
        const session = observations.reduce((current, next) => transition(current, next).session, aSession());
        const result = transition(session, { kind: 'scheduler-unreachable', at: when });
        expect(result.session).toBe(session);
        expect(result.events).toEqual([]);
      }),
    );
  });
});
