import { idleStopReason, idleVerdict, type IdleLimits } from './idle';
import { T0, aSessionIn, minutesAfter } from './session.fixture';
import { transition } from './transition';

// aSessionIn('running') is ready at T0 + 2 min.
const READY = minutesAfter(2);
const LIMITS: IdleLimits = { disconnectedMinutes: 120, noInputMinutes: 0, warningMinutes: 10 };
const watchedSinceStart = { connected: false, watchedSince: T0 };

describe('idleVerdict', () => {
  const running = aSessionIn('running');

  it('counts the disconnected clock from readiness: active, then warned 10 min before, then stopped at 2 h', () => {
    expect(idleVerdict(running, watchedSinceStart, LIMITS, minutesAfter(109, READY))).toEqual({
      kind: 'active',
    });
    expect(idleVerdict(running, watchedSinceStart, LIMITS, minutesAfter(110, READY))).toEqual({
      kind: 'warn',
      cause: 'disconnected',
      stopAt: minutesAfter(120, READY),
      reason: 'Stopped after 2 h without a connection.',
    });
    expect(idleVerdict(running, watchedSinceStart, LIMITS, minutesAfter(120, READY))).toMatchObject({
      kind: 'stop',
      cause: 'disconnected',
    });
  });

  it('never stops a session while a client is connected, however long ago it was last viewed', () => {
    const connected = { connected: true, watchedSince: T0 };
    expect(idleVerdict(running, connected, LIMITS, minutesAfter(10_000, READY))).toEqual({ kind: 'active' });
  });

  it('starts the clock again at the last viewer leaving, at "keep it", and at the API start', () => {
    const later = minutesAfter(500, READY);
    const now = minutesAfter(60, later);
    expect(idleVerdict({ ...running, lastViewedAt: later }, watchedSinceStart, LIMITS, now).kind).toBe(
      'active',
    );
    expect(idleVerdict({ ...running, keptAt: later }, watchedSinceStart, LIMITS, now).kind).toBe('active');
    expect(idleVerdict(running, { connected: false, watchedSince: later }, LIMITS, now).kind).toBe('active');
    // The same hour with none of them: long past the limit.
    expect(idleVerdict(running, watchedSinceStart, LIMITS, now).kind).toBe('stop');
  });

  it('turns each clock off at 0', () => {
    const off = { disconnectedMinutes: 0, noInputMinutes: 0, warningMinutes: 10 };
    expect(idleVerdict(running, watchedSinceStart, off, minutesAfter(100_000)).kind).toBe('active');
  });

  it('stops a connected session without input after the no-input limit, and input starts that clock again', () => {
    const limits = { disconnectedMinutes: 120, noInputMinutes: 480, warningMinutes: 10 };
    const connected = { connected: true, watchedSince: T0 };
    expect(idleVerdict(running, connected, limits, minutesAfter(480, READY))).toEqual({
      kind: 'stop',
      cause: 'no-input',
      stopAt: minutesAfter(480, READY),
      reason: 'Stopped after 8 h without keyboard or mouse input.',
    });
    const typed = { ...running, lastInputAt: minutesAfter(400, READY) };
    expect(idleVerdict(typed, connected, limits, minutesAfter(480, READY)).kind).toBe('active');
  });

  it('takes the clock that ends first when both run', () => {
    const limits = { disconnectedMinutes: 120, noInputMinutes: 60, warningMinutes: 10 };
    expect(idleVerdict(running, watchedSinceStart, limits, minutesAfter(55, READY))).toMatchObject({
      kind: 'warn',
      cause: 'no-input',
      stopAt: minutesAfter(60, READY),
    });
  });

  it('never judges a session that is not running', () => {
    for (const state of ['queued', 'starting', 'completed'] as const)
      expect(idleVerdict(aSessionIn(state), watchedSinceStart, LIMITS, minutesAfter(100_000)).kind).toBe(
        'active',
      );
  });

  it('words the reason in hours and minutes', () => {
    expect(idleStopReason('disconnected', 90)).toBe('Stopped after 1 h 30 min without a connection.');
  });
});

describe('idle observations in the state machine', () => {
  const running = aSessionIn('running');
  const warning = { stopAt: minutesAfter(200), reason: 'Stopped after 2 h without a connection.' };

  it('records a warning, and a viewer, input or "keep it" withdraws it', () => {
    const warned = transition(running, { kind: 'idle-warning', at: minutesAfter(190), ...warning });
    expect(warned.session.idleWarning).toEqual(warning);
    expect(warned.events).toEqual([{ type: 'details-changed', fields: ['idleWarning'] }]);
    for (const kind of ['viewed', 'input', 'idle-kept'] as const) {
      const { session } = transition(warned.session, { kind, at: minutesAfter(195) });
      expect(session.idleWarning).toBeNull();
    }
    expect(transition(warned.session, { kind: 'idle-kept', at: minutesAfter(195) }).session.keptAt).toEqual(
      minutesAfter(195),
    );
  });

  it('ends an idle-stopped session cancelled, reason idle, with the sentence as its message', () => {
    const { session, events } = transition(running, {
      kind: 'idle-stop',
      at: minutesAfter(200),
      reason: 'Stopped after 2 h without a connection.',
    });
    expect(session).toMatchObject({
      state: 'cancelled',
      endReason: 'idle',
      endedAt: minutesAfter(200),
      message: 'Stopped after 2 h without a connection.',
      idleWarning: null,
      endpoint: null,
    });
    expect(events).toEqual([{ type: 'state-changed', from: 'running', to: 'cancelled' }]);
  });

  it('does not warn or stop a session that is no longer running', () => {
    const ended = aSessionIn('completed');
    expect(transition(ended, { kind: 'idle-stop', at: minutesAfter(200), reason: 'x' }).events).toEqual([]);
    const starting = aSessionIn('starting');
    expect(
      transition(starting, { kind: 'idle-warning', at: minutesAfter(190), ...warning }).session.idleWarning,
    ).toBeNull();
  });
});
