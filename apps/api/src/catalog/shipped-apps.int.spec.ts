// Every shipped app, rendered from its manifest and submitted with the slurm-client to the real
// local cluster: readiness arrives at a test HTTP server, the desktop passes a real RFB handshake
// with its one-time password (and refuses a wrong one), and scancel (or the time limit) leaves no
// process, port, lock file or socket behind.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AppManifest,
  JOB_ENV,
  type ReadinessReport,
  loadCatalog,
  renderJobScript,
  validateChoices,
} from '@vizportal/job-templates';
import { CliSlurmClient, type JobInfo } from '@vizportal/slurm-client';
import { toChoiceContext } from './catalog.service';
import { RfbAuthError, rfbHandshake, tcpTransport } from '@vizportal/portal-harness';
import { REPO_CATALOG } from '../../test/support/api-test-app';

const slurm = new CliSlurmClient({ commandTimeoutMs: 15_000 });
const catalog = loadCatalog(REPO_CATALOG);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Processes whose command line mentions the display, e.g. "Xvnc :21" and the app started on it. */
function processesOnDisplay(display: number): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,stat=,args=']).toString();
  return out
    .split('\n')
    .filter(
      (line) => new RegExp(`Xvnc :${display}\\b|DISPLAY=:${display}\\b`).test(line) && !/\sZ/.test(line),
    );
}

function portOpen(port: number): Promise<boolean> {
  return tcpTransport('127.0.0.1', port).then(
    (transport) => (transport.close(), true),
    () => false,
  );
}

async function waitForJob(
  jobId: string,
  done: (job: JobInfo) => boolean,
  timeoutMs: number,
): Promise<JobInfo> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const job = (await slurm.queryJobs([jobId])).jobs[0];
    if (job && done(job)) return job;
    await sleep(300);
  }
  throw new Error(`job ${jobId} did not get there in ${timeoutMs} ms`);
}

/** The screen size the manifest asks for: fixed, or its form field's default. */
function defaultGeometry(app: AppManifest): string {
  const geometry = app.desktop.geometry;
  if (typeof geometry === 'string') return geometry;
  return String(app.form.find((field) => field.id === geometry.field)?.default);
}

describe('shipped apps as real Slurm jobs', () => {
  let root: string;
  let server: Server;
  let readinessUrl: string;
  const reports = new Map<string, { report: ReadinessReport; authorization: string }>();
  const jobs: string[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'vizportal-apps-'));
    chmodSync(root, 0o711);
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const id = /\/sessions\/([^/]+)\/ready$/.exec(request.url ?? '')?.[1] ?? '?';
        reports.set(id, { report: JSON.parse(body), authorization: request.headers.authorization ?? '' });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    readinessUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const id of jobs) await slurm.cancel(id).catch(() => undefined);
    await new Promise((resolve) => server.close(resolve));
    rmSync(root, { recursive: true, force: true });
  });

  /** Renders the app with its defaults (plus values) and submits it; resolves with its readiness report. */
  async function launch(
    app: AppManifest,
    name: string,
    values: Record<string, unknown> = {},
    timeLimitMinutes?: number,
  ) {
    const checked = validateChoices(app, values, toChoiceContext(await slurm.clusterInfo()));
    if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
    const stagingDir = join(root, name);
    mkdirSync(stagingDir, { mode: 0o700 });
    const { script } = renderJobScript(app, checked.choices, {
      sessionId: name,
      stagingDir,
      readinessUrl: `${readinessUrl}/sessions/${name}/ready`,
    });
    const secret = `secret-for-${name}-0123456789`;
    const { jobId } = await slurm.submit({
      token: name,
      script,
      outputPath: join(stagingDir, 'output.log'),
      workDir: stagingDir,
      exportEnv: 'all',
      secretEnv: { [JOB_ENV.readySecret]: secret },
      timeLimitMinutes,
    });
    jobs.push(jobId);
    const until = Date.now() + 30_000;
    while (!reports.has(name)) {
      if (Date.now() > until)
        throw new Error(
          `${name}: no readiness; log: ${readFileSync(join(stagingDir, 'output.log'), 'utf8')}`,
        );
      await sleep(100);
    }
    const { report, authorization } = reports.get(name) as { report: ReadinessReport; authorization: string };
    expect(authorization).toBe(`Bearer ${secret}`);
    return { jobId, report, stagingDir };
  }

  async function expectCleanedUp(report: ReadinessReport, stagingDir: string, jobId: string, state: string) {
    await waitForJob(
      jobId,
      (job) => job.state.base === state && !job.state.flags.includes('COMPLETING'),
      120_000,
    );
    const until = Date.now() + 5_000;
    while (processesOnDisplay(report.display).length > 0 && Date.now() < until) await sleep(100);
    expect(processesOnDisplay(report.display)).toEqual([]);
    expect(await portOpen(report.port)).toBe(false);
    expect(existsSync(`/tmp/.X${report.display}-lock`)).toBe(false);
    expect(existsSync(`/tmp/.X11-unix/X${report.display}`)).toBe(false);
    // The wrapper must tell Slurm's TERM at the time limit from a scancel: the end marker decides
    // how a session ends once Slurm has forgotten its job.
    expect(JSON.parse(readFileSync(join(stagingDir, 'end.json'), 'utf8')).reason).toBe(
      state === 'TIMEOUT' ? 'time-limit' : 'terminated',
    );
  }

  it.each(['desktop', 'xterm', 'gedit'])(
    '%s: readiness, a real VNC login with its one-time password, and nothing left after scancel',
    async (appId) => {
      const app = catalog.get(appId) as AppManifest;
      const { jobId, report, stagingDir } = await launch(app, `app-${appId}`);
      expect(report.host).toBe('127.0.0.1');
      const connection = JSON.parse(readFileSync(join(stagingDir, 'connection.json'), 'utf8'));
      expect(connection).toEqual(report);
      const ok = await tcpTransport('127.0.0.1', report.port);
      try {
        const [width, height] = defaultGeometry(app).split('x').map(Number);
        expect(await rfbHandshake(ok, report.password)).toMatchObject({ width, height });
      } finally {
        ok.close();
      }
      const wrong = await tcpTransport('127.0.0.1', report.port);
      try {
        await expect(
          rfbHandshake(wrong, report.password === 'wrongpw1' ? 'wrongpw2' : 'wrongpw1'),
        ).rejects.toBeInstanceOf(RfbAuthError);
      } finally {
        wrong.close();
      }
      await slurm.cancel(jobId);
      await expectCleanedUp(report, stagingDir, jobId, 'CANCELLED');
    },
  );

  it('two desktops on one node get different displays and ports', async () => {
    const app = catalog.get('desktop') as AppManifest;
    const [a, b] = await Promise.all([
      launch(app, 'pair-a', { partition: 'debug', hours: 0.5 }),
      launch(app, 'pair-b', { partition: 'debug', hours: 0.5 }),
    ]);
    const [jobA, jobB] = await Promise.all(
      [a.jobId, b.jobId].map((id) => waitForJob(id, (job) => job.state.base === 'RUNNING', 10_000)),
    );
    expect(jobA.batchHost).toBe('viz02');
    expect(jobB.batchHost).toBe('viz02');
    expect(a.report.port).not.toBe(b.report.port);
    expect(a.report.display).not.toBe(b.report.display);
    await Promise.all([slurm.cancel(a.jobId), slurm.cancel(b.jobId)]);
    await expectCleanedUp(a.report, a.stagingDir, a.jobId, 'CANCELLED');
    await expectCleanedUp(b.report, b.stagingDir, b.jobId, 'CANCELLED');
  });

  it('a desktop past its time limit ends TIMEOUT and cleans up as well', async () => {
    const app = catalog.get('xterm') as AppManifest;
    const { jobId, report, stagingDir } = await launch(app, 'time-limit', {}, 1);
    await expectCleanedUp(report, stagingDir, jobId, 'TIMEOUT');
  }, 180_000);
});
