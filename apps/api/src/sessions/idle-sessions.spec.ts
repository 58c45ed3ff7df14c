// IdleSessions with fakes around it (the real cluster is in idle-sessions.int.spec.ts): it records
// viewers and input (input at most once a minute), warns once per stop time, stops with the
// verdict's sentence and audits it, never judges a connected session, and survives a failed stop.
import type { ConfigService } from '@nestjs/config';
import { type Observation, type Session, createSession, transition } from '@vizportal/session-domain';
import type { AuditService } from '../audit/audit.service';
import type { AppConfig } from '../config/app-config';
import { OPEN_SITE_POLICY } from '../policy/site-policy-file';
import { SitePolicy } from '../policy/site-policy.service';
import { INPUT_RECORD_INTERVAL_MS, IdleSessions, PORTAL_ACTOR } from './idle-sessions';
import type { SessionObserver } from './session-observer';
import type { SessionRepository } from './session.repository';
import type { SessionService } from './session.service';
import { VncConnections } from './vnc-connections';

const T0 = new Date('2026-12-04T10:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

function running(id: string, readyAt: Date): Session {
  const created = createSession({
    id,
    owner: 'alice',
    appId: 'desktop',
    appTitle: 'Desktop',
    values: {},
    submitToken: `t${id}`,
    now: T0,
  });
  return transition(created, { kind: 'readiness', at: readyAt, port: 5901, display: 1 }).session;
}

describe('IdleSessions', () => {
  let store: Map<string, Session>;
  let observed: Array<[string, Observation]>;
  let stopIdle: jest.Mock;
  let record: jest.Mock;
  let connections: VncConnections;
  let idle: IdleSessions;

  beforeEach(() => {
    store = new Map([['s1', running('s1', T0)]]);
    observed = [];
    const repository = {
      findLive: async () => [...store.values()],
      findById: async (id: string) => store.get(id) ?? null,
    } as unknown as SessionRepository;
    const observer = {
      observe: async (session: Session, observation: Observation) => {
        observed.push([session.id, observation]);
        const next = transition(session, observation).session;
        store.set(session.id, next);
        return next;
      },
    } as unknown as SessionObserver;
    stopIdle = jest.fn(async (session: Session, reason: string) => {
      const next = transition(session, { kind: 'idle-stop', at: minutes(120), reason }).session;
      store.set(session.id, next);
      return next;
    });
    record = jest.fn();
    const config = {
      get: (key: string) => (key === 'IDLE_CHECK_SECONDS' ? 30 : 10),
    } as unknown as ConfigService<AppConfig, true>;
    connections = new VncConnections(config);
    idle = new IdleSessions(
      repository,
      observer,
      { stopIdle } as unknown as SessionService,
      connections,
      new SitePolicy(OPEN_SITE_POLICY), // 2 h without a connection, warned 10 min before
      { record } as unknown as AuditService,
      config,
    );
    // As if the API had been up since before the session: its clock counts from readiness.
    (idle as { watchedSince: Date }).watchedSince = minutes(-60);
  });

  afterEach(() => idle.onApplicationShutdown());

  it('warns once per stop time, then stops with the sentence and audits the stop as the portal', async () => {
    await idle.check(minutes(100));
    expect(observed).toEqual([]);
    await idle.check(minutes(111));
    await idle.check(minutes(112));
    expect(observed).toEqual([
      [
        's1',
        {
          kind: 'idle-warning',
          at: minutes(111),
          stopAt: minutes(120),
          reason: 'Stopped after 2 h without a connection.',
        },
      ],
    ]);
    await idle.check(minutes(120));
    expect(stopIdle).toHaveBeenCalledWith(
      expect.objectContaining({ id: 's1' }),
      'Stopped after 2 h without a connection.',
    );
    expect(record).toHaveBeenCalledWith(
      expect.objectContaining({
        actor: PORTAL_ACTOR,
        action: 'session.idle-stop',
        sessionId: 's1',
        subject: 'alice',
      }),
    );
  });

  it('never warns or stops a session with a client connected, and counts from when the client left', async () => {
    idle.onApplicationBootstrap();
    const free = connections.take({ sessionId: 's1', owner: 'alice', username: 'alice' });
    await flush();
    expect(observed.map(([, o]) => o.kind)).toEqual(['viewed']);
    await idle.check(minutes(500));
    expect(stopIdle).not.toHaveBeenCalled();
    free();
    await flush();
    const leftAt = (store.get('s1') as Session).lastViewedAt as Date;
    expect(observed.map(([, o]) => o.kind)).toEqual(['viewed', 'viewed']);
    await idle.check(new Date(leftAt.getTime() + 119 * 60_000));
    expect(stopIdle).not.toHaveBeenCalled();
    await idle.check(new Date(leftAt.getTime() + 120 * 60_000));
    expect(stopIdle).toHaveBeenCalledTimes(1);
  });

  it('records input at most once a minute per session', async () => {
    const at = T0.getTime();
    idle.inputSeen('s1', at);
    idle.inputSeen('s1', at + 1000);
    idle.inputSeen('s1', at + INPUT_RECORD_INTERVAL_MS - 1);
    idle.inputSeen('s1', at + INPUT_RECORD_INTERVAL_MS);
    await flush();
    expect(observed.map(([, o]) => [o.kind, o.at.getTime()])).toEqual([
      ['input', at],
      ['input', at + INPUT_RECORD_INTERVAL_MS],
    ]);
  });

  it('keeps going when a stop fails (Slurm away): the next check tries again', async () => {
    stopIdle.mockRejectedValueOnce(new Error('Slurm is unreachable'));
    await idle.check(minutes(130));
    expect(record).not.toHaveBeenCalled();
    await idle.check(minutes(131));
    expect(stopIdle).toHaveBeenCalledTimes(2);
    expect(record).toHaveBeenCalledTimes(1);
  });
});

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}
