// The app inside a desktop exits on the real local cluster: the job ends with it, and the session
// ends completed ("app exited"); an app that crashes ends it failed, with the end of the job's
// output as the message a user reads.
import { readFileSync, readdirSync } from 'node:fs';
import { isTerminal } from '@vizportal/session-domain';
import { type ApiTestApp, createUsers, startApiTestApp } from '../support/api-test-app';
import { SessionClient } from '../support/session-client';
import { endJobsOf, jobProcesses, waitUntil } from './fault-helpers';

/** Pids whose parent is `parent`. */
function childrenOf(parent: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        // /proc/PID/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after the last ')'.
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent;
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('faults: the app inside a desktop exits', () => {
  let api: ApiTestApp;
  let alice: SessionClient;
  const launched: string[] = [];

  beforeAll(async () => {
    api = await startApiTestApp();
    alice = new SessionClient(api.baseUrl, (await createUsers(api.baseUrl, ['alice'])).alice);
    await alice.connectSocket();
  });

  afterAll(async () => {
    await endJobsOf(launched).catch(() => undefined);
    alice.close();
    await api.close();
  });

  it('ends the session completed when the xterm exits (its shell gone, as after typing exit)', async () => {
    const session = await alice.launch('xterm');
    launched.push(session.id);
    const running = await alice.waitFor(session.id, (s) => s.state === 'running', 90_000);
    const xterm = await waitUntil(
      'the xterm of the job',
      () => jobProcesses(running.jobId as string, 'xterm')[0],
      10_000,
    );
    const shells = await waitUntil(
      'the shell in the xterm',
      () => childrenOf(xterm).length > 0 && childrenOf(xterm),
      10_000,
    );
    // The shell ends as `exit` would end it; xterm then exits with status 0, and the job with it.
    for (const pid of shells) process.kill(pid, 'SIGKILL');

    const ended = await alice.waitFor(session.id, (s) => isTerminal(s.state), 60_000);
    expect(ended).toMatchObject({
      state: 'completed',
      endReason: 'app-exited',
      exitCode: 0,
      canConnect: false,
    });
    expect(ended.headline).toMatch(/app exited/i);
  });

  it('ends the session failed, with the end of the output as its message, when the app crashes', async () => {
    const session = await alice.launch('xterm');
    launched.push(session.id);
    const running = await alice.waitFor(session.id, (s) => s.state === 'running', 90_000);
    const xterm = await waitUntil(
      'the xterm of the job',
      () => jobProcesses(running.jobId as string, 'xterm')[0],
      10_000,
    );
    process.kill(xterm, 'SIGKILL');

    const ended = await alice.waitFor(session.id, (s) => isTerminal(s.state), 60_000);
    expect(ended).toMatchObject({ state: 'failed', endReason: 'failed', exitCode: 137, canConnect: false });
    expect(ended.headline).toBe('Ended: the job failed');
    // The wrapper's last line says how the app ended; the same words as GET /api/sessions/:id/log.
    expect(ended.message).toMatch(/ended: app-exited, exit status 137$/);
    const log = await (await alice.request('GET', `/api/sessions/${session.id}/log`)).json();
    expect(log.text.trim().endsWith(ended.message as string)).toBe(true);
  });
});
