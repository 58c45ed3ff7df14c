// A desktop whose readiness never reaches the portal, on the real local cluster: after
// READINESS_TIMEOUT_SECONDS the session ends failed with the tail of the job's output log, and
// the job is cancelled.
import { createServer } from 'node:net';
import { type ApiTestApp, createUsers, startApiTestApp } from '../support/api-test-app';
import { SessionClient } from '../support/session-client';
import { endJobsOf, jobsOfSession, waitUntil } from './fault-helpers';

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('faults: the readiness never arrives', () => {
  let api: ApiTestApp;
  let alice: SessionClient;
  const launched: string[] = [];

  beforeAll(async () => {
    api = await startApiTestApp({
      READINESS_BASE_URL: `http://127.0.0.1:${await closedPort()}`,
      // Past curl's 5 retries of the report (about 6 s), so the log's tail holds its failure.
      READINESS_TIMEOUT_SECONDS: '12',
    });
    alice = new SessionClient(api.baseUrl, (await createUsers(api.baseUrl, ['alice'])).alice);
    await alice.connectSocket();
  });

  afterAll(async () => {
    await endJobsOf(launched).catch(() => undefined);
    alice.close();
    await api.close();
  });

  it("ends the session failed, showing the output log's tail, and cancels the job", async () => {
    const session = await alice.launch('xterm');
    launched.push(session.id);
    const failed = await alice.waitFor(session.id, (s) => s.state === 'failed', 90_000);
    expect(failed).toMatchObject({ endReason: 'readiness-timeout', canConnect: false });
    expect(failed.headline).toMatch(/did not start/);
    // The message is the log's tail: the wrapper's own lines, down to its failed report.
    const log = (await (await alice.request('GET', `/api/sessions/${session.id}/log`)).json()) as {
      text: string;
    };
    expect(failed.message).toMatch(/could not report readiness/);
    expect(log.text).toContain((failed.message as string).split('\n').at(-1));
    await waitUntil(
      'the silent job cancelled',
      () => jobsOfSession(session.id).every((job) => !['RUNNING', 'PENDING'].includes(job.state)),
      30_000,
    );
  });
});
