// Extend on the real cluster: the API (root here, which Slurm treats as an operator) raises a
// running job's limit with scontrol, the socket carries the new limit, and the partition's MaxTime
// and the site's SESSION_EXTEND_MAX_HOURS hold, as does ownership.
import { execFileSync } from 'node:child_process';
import type { AuditPageDto } from '@vizportal/site-policy';
import {
  type ApiTestApp,
  createUsers,
  login,
  startApiTestApp,
  TEST_ADMIN,
} from '../../test/support/api-test-app';
import { SessionClient } from '../../test/support/session-client';

/** The job's time limit as Slurm has it, in minutes (squeue %l: [D-]HH:MM:SS or MM:SS). */
function slurmTimeLimitMinutes(jobId: string): number {
  const text = execFileSync('squeue', ['-h', '-j', jobId, '-o', '%l']).toString().trim();
  const [days, clock] = text.includes('-') ? text.split('-') : ['0', text];
  const parts = clock.split(':').map(Number);
  while (parts.length < 3) parts.unshift(0);
  const [hours, minutes] = parts;
  return Number(days) * 1440 + hours * 60 + minutes;
}

describe('Extend on the local cluster', () => {
  let api: ApiTestApp;
  let alice: SessionClient;
  let bob: SessionClient;

  beforeAll(async () => {
    api = await startApiTestApp({ SLURM_SUBMIT_AS: 'user', SESSION_EXTEND_MAX_HOURS: '1' });
    const cookies = await createUsers(api.baseUrl, ['alice', 'bob']);
    alice = new SessionClient(api.baseUrl, cookies.alice);
    bob = new SessionClient(api.baseUrl, cookies.bob);
    await alice.connectSocket();
  });

  afterAll(async () => {
    alice?.close();
    bob?.close();
    await api?.close();
  });

  it("raises a running job's limit in Slurm, and the owner's socket carries it, within the site's limit", async () => {
    const session = await alice.launch('xterm', { partition: 'viz', hours: 1 });
    const running = await alice.waitFor(session.id, (s) => s.state === 'running');
    const jobId = running.jobId as string;
    expect(running.canExtend).toBe(true);
    expect(slurmTimeLimitMinutes(jobId)).toBe(60);

    // Someone else's session: the same 404 as an unknown one, and the job keeps its limit.
    const foreign = await bob.request('POST', `/api/sessions/${session.id}/extend`, { minutes: 30 });
    expect(foreign.status).toBe(404);

    const response = await alice.request('POST', `/api/sessions/${session.id}/extend`, { minutes: 30 });
    expect(response.status).toBe(200);
    const extended = await response.json();
    expect(extended).toMatchObject({ timeLimitMinutes: 90, extendedMinutes: 30 });
    expect(extended.timeLeftMinutes).toBeGreaterThan(85);
    expect(slurmTimeLimitMinutes(jobId)).toBe(90);
    await alice.waitFor(session.id, (s) => s.timeLimitMinutes === 90);

    // The site allows 1 h in all: 30 min more is the most.
    const over = await alice.request('POST', `/api/sessions/${session.id}/extend`, { minutes: 45 });
    expect(over.status).toBe(409);
    expect((await over.json()).message).toBe(
      'Your site lets a session be extended by 1 h in all; this one has had 30 min, so 30 min more at most.',
    );
    expect(slurmTimeLimitMinutes(jobId)).toBe(90);

    const bad = await alice.request('POST', `/api/sessions/${session.id}/extend`, { minutes: 'lots' });
    expect(bad.status).toBe(400);

    await alice.request('POST', `/api/sessions/${session.id}/stop`);
    const stopped = await alice.request('POST', `/api/sessions/${session.id}/extend`, { minutes: 10 });
    expect(stopped.status).toBe(409);
    expect((await stopped.json()).message).toBe(
      'Only a running session can be extended; this one is cancelled.',
    );

    // Each attempt is in the audit log, with the minutes asked for (when a number) and how it ended.
    const admin = new SessionClient(
      api.baseUrl,
      await login(api.baseUrl, TEST_ADMIN.username, TEST_ADMIN.password),
    );
    const audit = (await (
      await admin.request('GET', '/api/admin/audit?action=session.extend&limit=50')
    ).json()) as AuditPageDto;
    const attempts = audit.events
      .filter((event) => event.sessionId === session.id)
      .map((event) => [
        event.actor,
        event.outcome,
        event.details['minutes'] ?? null,
        event.details['status'] ?? null,
      ])
      .reverse();
    expect(attempts).toEqual([
      ['bob', 'refused', 30, 404],
      ['alice', 'ok', 30, null],
      ['alice', 'refused', 45, 409],
      ['alice', 'refused', null, 400],
      ['alice', 'refused', 10, 409],
    ]);
  });

  it("refuses to pass the partition's MaxTime, which Slurm would let an operator pass", async () => {
    // debug allows 30 min, and the session asked for all of it.
    const session = await alice.launch('xterm', { partition: 'debug', hours: 0.5 });
    const running = await alice.waitFor(session.id, (s) => s.state === 'running');
    const response = await alice.request('POST', `/api/sessions/${session.id}/extend`, { minutes: 10 });
    expect(response.status).toBe(409);
    expect((await response.json()).message).toBe(
      'Its partition allows at most 30 min, which this session already has.',
    );
    expect(slurmTimeLimitMinutes(running.jobId as string)).toBe(30);
    await alice.request('POST', `/api/sessions/${session.id}/stop`);
  });
});
