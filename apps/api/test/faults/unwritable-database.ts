// The database stops taking writes under the whole API on the real local cluster: the disk fills up
// (database-full.int.spec.ts) or the file turns read-only (database-read-only.int.spec.ts), one per
// file because an API's environment is fixed per test file. Either way: a clear 503 and no crash,
// no job submitted for a launch the portal cannot record, /api/health says the database is down,
// the poller keeps ticking; once writes work again the API works on without a restart.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionListDto } from '@vizportal/session-domain';
import { DATABASE_UNAVAILABLE_MESSAGE } from '../../src/database/database-unavailable';
import { type ApiTestApp, createUsers, startApiTestApp } from '../support/api-test-app';
import { SessionClient } from '../support/session-client';
import { cancelJobs, endJobsOf, sleep, slurmJobs, waitUntil } from './fault-helpers';

export interface DatabaseFault {
  /** e.g. 'the disk is full'. */
  name: string;
  /** Readies the (empty) folder the database will live in. */
  prepare(dbDir: string): void;
  /** Stops writes. */
  apply(dbDir: string): void;
  /** Lets writes work again; also the clean-up, so it must not fail when the fault is not applied. */
  lift(dbDir: string): void;
  /** Undoes prepare. */
  dispose(dbDir: string): void;
  /** What /api/health says while writes fail. */
  healthMessage: RegExp;
}

/** The suite's state, for tests a spec file adds after the shared one. */
export interface UnwritableDatabaseSuite {
  root: string;
  dbDir: string;
  databasePath: string;
  /** The running API; a test that replaces it leaves the new one here, and the suite closes it. */
  api: ApiTestApp;
  alice: SessionClient;
  launched: string[];
}

/** The shared test; `more` adds tests that run after it on the same API and database. */
export function describeUnwritableDatabase(
  fault: DatabaseFault,
  more?: (suite: UnwritableDatabaseSuite) => void,
): void {
  describe(`faults: the database cannot write, ${fault.name}`, () => {
    const suite = { launched: [] as string[] } as unknown as UnwritableDatabaseSuite;

    beforeAll(async () => {
      suite.root = mkdtempSync(join(tmpdir(), 'vizportal-dbfault-'));
      suite.dbDir = join(suite.root, 'db');
      suite.databasePath = join(suite.dbDir, 'vizportal.sqlite');
      mkdirSync(suite.dbDir);
      fault.prepare(suite.dbDir);
      // Only the database is hit: the staging folders stay where the jobs can write.
      suite.api = await startApiTestApp({ DATABASE_PATH: suite.databasePath }, suite.root);
      suite.alice = new SessionClient(
        suite.api.baseUrl,
        (await createUsers(suite.api.baseUrl, ['alice'])).alice,
      );
      await suite.alice.connectSocket();
    });

    afterAll(async () => {
      try {
        fault.lift(suite.dbDir);
        await endJobsOf(suite.launched).catch(() => undefined);
        suite.alice?.close();
        await suite.api?.close();
      } finally {
        fault.dispose(suite.dbDir);
        rmSync(suite.root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
      }
    });

    it('answers 503 with a sentence, submits nothing, keeps the poller ticking, and works on once writes work', async () => {
      const { api, alice, launched, dbDir, root } = suite;
      const live = await alice.launch('xterm');
      launched.push(live.id);
      const running = await alice.waitFor(live.id, (s) => s.state === 'running', 90_000);

      fault.apply(dbDir);
      const refused = await alice.request('POST', '/api/sessions', { appId: 'xterm', values: {} });
      expect(refused.status).toBe(503);
      expect(await refused.json()).toEqual({
        statusCode: 503,
        error: 'Database Unavailable',
        message: DATABASE_UNAVAILABLE_MESSAGE,
      });
      // A launch the portal could not record never reaches Slurm: no job without a session.
      const stagingPrefix = `${join(root, 'sessions')}/`;
      const otherJobs = slurmJobs().filter(
        (job) => job.workDir.startsWith(stagingPrefix) && !job.workDir.endsWith(`/${live.id}`),
      );
      expect(otherJobs).toEqual([]);

      const health = await fetch(`${api.baseUrl}/api/health`);
      expect(health.status).toBe(503);
      const report = await health.json();
      expect(report.details.database).toMatchObject({
        status: 'down',
        message: expect.stringMatching(fault.healthMessage),
      });
      expect(report.details.slurm.status).toBe('up');

      // Reads still work, and the API did not fall over.
      const list = await alice.request('GET', '/api/sessions');
      expect(list.status).toBe(200);
      expect(((await list.json()) as SessionListDto).sessions.map((s) => s.id)).toEqual([live.id]);

      // A change in Slurm meanwhile: the poller cannot save it, but goes on ticking…
      cancelJobs([running.jobId]);
      await sleep(3000);
      expect((await (await alice.request('GET', `/api/sessions/${live.id}`)).json()).state).toBe('running');

      fault.lift(dbDir);
      // …and catches up once writes work, as the next launch goes through: no restart.
      await alice.waitFor(live.id, (s) => s.state === 'cancelled', 30_000);
      const again = await alice.launch('xterm');
      launched.push(again.id);
      await alice.waitFor(again.id, (s) => s.state === 'running', 90_000);
      await waitUntil(
        '/api/health up again',
        async () => (await fetch(`${api.baseUrl}/api/health`)).status === 200,
        10_000,
      );
    });

    more?.(suite);
  });
}
