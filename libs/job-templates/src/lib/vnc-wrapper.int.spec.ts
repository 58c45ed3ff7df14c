/**
 * The VNC wrapper for real, outside Slurm: rendered scripts run with bash on this machine (needs
 * Xvnc, vncpasswd, openbox, xterm, gedit and curl, as tools/dev-cluster installs them, and the dev
 * cluster's scontrol). As in a Slurm job, SLURMD_NODENAME names a node (viz01), whose NodeAddr the
 * wrapper reports; one test covers its `hostname -i` fallback. A small HTTP server here plays the
 * portal's readiness endpoint.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadCatalog, parseAppManifest } from './catalog';
import { VNC_DISPLAY_RANGE, VNC_PORT_RANGE, type EndMarker, type ReadinessReport } from './job-contract';
import { renderJobScript } from './render-job-script';
import type { AppManifest } from './app-manifest.schema';
import { validateChoices } from './validate-choices';

const catalog = loadCatalog(resolve(__dirname, '../../../../catalog'));
const SECRET = 'int-test-secret-0123456789abcdef';

interface Readiness {
  authorization: string | undefined;
  report: ReadinessReport;
}

/** The portal's readiness endpoint, reduced to recording what arrives. */
class ReadinessEndpoint {
  readonly received = new Map<string, Readiness>();
  private server!: Server;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        this.received.set(request.url ?? '', {
          authorization: request.headers.authorization,
          report: JSON.parse(body),
        });
        response.statusCode = 204;
        response.end();
      });
    });
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    this.port = (this.server.address() as AddressInfo).port;
  }

  url(sessionId: string): string {
    return `http://127.0.0.1:${this.port}/api/internal/sessions/${sessionId}/ready`;
  }

  stop(): Promise<void> {
    return new Promise((done) => this.server.close(() => done()));
  }
}

interface Job {
  sessionId: string;
  child: ChildProcess;
  staging: string;
  output: () => string;
  exit: Promise<number | null>;
}

let workDir: string;
let endpoint: ReadinessEndpoint;
const started: Job[] = [];
let jobsStarted = 0;

/** The node the wrapper believes it runs on, as slurmd tells a job; null for none (outside Slurm). */
const NODE = 'viz01';

function startJob(
  app: AppManifest,
  options: {
    readinessUrl?: string;
    path?: string;
    values?: Record<string, unknown>;
    node?: string | null;
  } = {},
): Job {
  const sessionId = `int-${++jobsStarted}-${process.pid}`;
  const staging = join(workDir, 'staging', sessionId);
  const result = validateChoices(app, options.values ?? {}, {
    partitions: [{ name: 'viz', isDefault: true }],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const { script } = renderJobScript(app, result.choices, {
    sessionId,
    stagingDir: staging,
    readinessUrl: options.readinessUrl ?? endpoint.url(sessionId),
  });
  const scriptFile = join(workDir, `${sessionId}.sh`);
  writeFileSync(scriptFile, script);
  const child = spawn('bash', [scriptFile], {
    cwd: workDir,
    env: {
      PATH: options.path ?? process.env['PATH'],
      HOME: process.env['HOME'],
      VIZPORTAL_READY_SECRET: SECRET,
      ...(options.node === null ? {} : { SLURMD_NODENAME: options.node ?? NODE }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exit = new Promise<number | null>((done) =>
    child.on('exit', (code, signal) => done(code ?? (signal ? -1 : null))),
  );
  const job = { sessionId, child, staging, output: () => output, exit };
  started.push(job);
  return job;
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

const readinessOf = (job: Job) =>
  waitFor(`readiness of ${job.sessionId}\n${job.output()}`, () =>
    endpoint.received.get(`/api/internal/sessions/${job.sessionId}/ready`),
  );

/** Every process's argv, as `ps` would show it to any user. */
function allCommandLines(): { pid: number; argv: string }[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        return [{ pid: Number(pid), argv: readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ') }];
      } catch {
        return [];
      }
    });
}

function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

const alive = (pid: number) =>
  existsSync(`/proc/${pid}`) && !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));

/** RFB handshake and VNC authentication at the reported host and port, in a Node with the legacy provider (DES). */
function vncLogin(report: Pick<ReadinessReport, 'host' | 'port'>, password: string): string {
  const client = `
    const net = require('net'), crypto = require('crypto');
    const [host, port, password] = process.argv.slice(1);
    const socket = net.connect(Number(port), host);
    let buffer = Buffer.alloc(0), stage = 0;
    const reverse = (b) => { let r = 0; for (let i = 0; i < 8; i++) r |= ((b >> i) & 1) << (7 - i); return r; };
    socket.on('data', (data) => {
      buffer = Buffer.concat([buffer, data]);
      if (stage === 0 && buffer.length >= 12) { socket.write('RFB 003.008\\n'); buffer = buffer.subarray(12); stage = 1; }
      if (stage === 1 && buffer.length >= 1 && buffer.length >= 1 + buffer[0]) {
        const types = [...buffer.subarray(1, 1 + buffer[0])];
        if (!types.includes(2)) { console.log('NO-VNCAUTH ' + types); process.exit(0); }
        buffer = buffer.subarray(1 + buffer[0]); socket.write(Buffer.from([2])); stage = 2;
      }
      if (stage === 2 && buffer.length >= 16) {
        const key = Buffer.alloc(8);
        for (let i = 0; i < 8; i++) key[i] = reverse(password.charCodeAt(i) || 0);
        const des = crypto.createCipheriv('des-ecb', key, null); des.setAutoPadding(false);
        socket.write(Buffer.concat([des.update(buffer.subarray(0, 16)), des.final()]));
        buffer = buffer.subarray(16); stage = 3;
      }
      if (stage === 3 && buffer.length >= 4) { console.log(buffer.readUInt32BE(0) === 0 ? 'OK' : 'REFUSED'); process.exit(0); }
    });
    socket.on('error', (e) => { console.log('ERROR ' + e.message); process.exit(0); });
    socket.on('close', () => { console.log('CLOSED ' + stage); process.exit(0); });`;
  const run = spawnSync(
    process.execPath,
    ['--openssl-legacy-provider', '-e', client, report.host, String(report.port), password],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return run.stdout.trim();
}

/** What a job must leave behind on its node: nothing of its display, its password or its processes. */
function expectCleanedUp(report: ReadinessReport, passwordFile: string, pids: number[]): void {
  expect(existsSync(`/tmp/.X${report.display}-lock`)).toBe(false);
  expect(existsSync(`/tmp/.X11-unix/X${report.display}`)).toBe(false);
  expect(existsSync(passwordFile)).toBe(false);
  expect(existsSync(join(passwordFile, '..'))).toBe(false);
  expect(pids.filter(alive)).toEqual([]);
}

/** The xterm's top-level window on a display: whether a window manager framed it, and whether it shows. */
function xtermWindowOf(display: number): { framed: boolean; viewable: boolean } | undefined {
  const tree = spawnSync('xwininfo', ['-display', `:${display}`, '-root', '-tree'], {
    encoding: 'utf8',
  }).stdout;
  // Root's direct children are indented 5 spaces; a framed xterm is deeper, inside openbox's frame.
  const line = tree.split('\n').find((entry) => entry.includes('("xterm" "XTerm")'));
  if (!line) return undefined;
  const id = line.trim().split(' ')[0];
  const info = spawnSync('xwininfo', ['-display', `:${display}`, '-id', id], { encoding: 'utf8' }).stdout;
  return { framed: !/^ {5}0x/.test(line), viewable: info.includes('Map State: IsViewable') };
}

function xvncOf(report: ReadinessReport): { pid: number; passwordFile: string } {
  const xvnc = allCommandLines().find((p) => p.argv.startsWith(`Xvnc :${report.display} `));
  if (!xvnc) throw new Error(`no Xvnc for :${report.display}`);
  const passwordFile = xvnc.argv.split(' ')[xvnc.argv.split(' ').indexOf('-rfbauth') + 1];
  return { pid: xvnc.pid, passwordFile };
}

const endMarkerOf = (job: Job): EndMarker => JSON.parse(readFileSync(join(job.staging, 'end.json'), 'utf8'));

/** The first display from the wrapper's range with neither a lock nor a socket. */
function firstUnusedDisplay(): number {
  let display: number = VNC_DISPLAY_RANGE.first;
  while (existsSync(`/tmp/.X${display}-lock`) || existsSync(`/tmp/.X11-unix/X${display}`)) display++;
  return display;
}

/** A pid no process has: one that just exited. */
function deadPid(): number {
  const child = spawnSync('bash', ['-c', 'echo $$'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

let nodeAddress: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'job-templates-int-'));
  const node = spawnSync('scontrol', ['show', 'node', NODE, '-o'], { encoding: 'utf8' });
  nodeAddress = /(?:^|\s)NodeAddr=(\S+)/.exec(node.stdout)?.[1] ?? '';
  if (!nodeAddress)
    throw new Error(`scontrol knows no NodeAddr for ${NODE} (is the dev cluster up?): ${node.stderr}`);
  endpoint = new ReadinessEndpoint();
  await endpoint.start();
});

afterEach(async () => {
  // Whatever a failed test left running: TERM the wrapper (its trap stops the rest), then wait.
  for (const job of started.splice(0)) {
    if (job.child.exitCode === null && job.child.signalCode === null) {
      job.child.kill('SIGTERM');
      await Promise.race([job.exit, new Promise((done) => setTimeout(done, 5000).unref())]);
    }
  }
});

afterAll(async () => {
  await endpoint.stop();
  rmSync(workDir, { recursive: true, force: true });
});

describe('the VNC wrapper on this machine', () => {
  it('starts a desktop, reports it with the secret, serves VNC with the one-time password, and cleans up on TERM', async () => {
    const job = startJob(catalog.get('desktop') as AppManifest);
    const started = Date.now();
    const { authorization, report } = await readinessOf(job);
    const readyAfterMs = Date.now() - started;

    expect(authorization).toBe(`Bearer ${SECRET}`);
    expect(report).toEqual({
      host: nodeAddress,
      port: 5900 + report.display,
      password: expect.stringMatching(/^[A-Za-z0-9]{8}$/),
      display: report.display,
    });
    expect(report.port).toBeGreaterThanOrEqual(VNC_PORT_RANGE.min);
    expect(report.port).toBeLessThanOrEqual(VNC_PORT_RANGE.max);
    expect(readyAfterMs).toBeLessThan(5000);

    // connection.json: the same record, the user's alone.
    const connectionFile = join(job.staging, 'connection.json');
    expect(JSON.parse(readFileSync(connectionFile, 'utf8'))).toEqual(report);
    expect(statSync(connectionFile).mode & 0o777).toBe(0o600);

    const { pid: xvncPid, passwordFile } = xvncOf(report);
    expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
    const xvncArgv = allCommandLines().find((p) => p.pid === xvncPid)?.argv ?? '';
    expect(xvncArgv).toContain(`-rfbport ${report.port} -interface ${report.host} `);
    expect(xvncArgv).toContain('-BlacklistThreshold 1000000 -BlacklistTimeout 0');

    // Neither secret nor password is in anybody's argv.
    expect(
      allCommandLines().filter((p) => p.argv.includes(SECRET) || p.argv.includes(report.password)),
    ).toEqual([]);

    // Wrong passwords (more than TigerVNC's default threshold of 5) don't lock the owner out.
    for (let i = 0; i < 7; i++) expect(vncLogin(report, 'wrong123')).toBe('REFUSED');
    expect(vncLogin(report, report.password)).toBe('OK');

    const pids = [job.child.pid as number, ...descendants(job.child.pid as number)];
    const terminated = Date.now();
    job.child.kill('SIGTERM');
    expect(await job.exit).toBe(143);
    expect(Date.now() - terminated).toBeLessThan(1500);
    expectCleanedUp(report, passwordFile, pids);
    expect(endMarkerOf(job)).toEqual({
      exitCode: 143,
      reason: 'terminated',
      endedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    expect(statSync(join(job.staging, 'end.json')).mode & 0o777).toBe(0o644);
  });

  it('starts the app once the window manager has taken over: the xterm shows, framed, every time', async () => {
    // Started together, openbox sometimes left the xterm unmapped for 5 s or for good (e2e runs).
    for (let attempt = 0; attempt < 4; attempt++) {
      const job = startJob(catalog.get('desktop') as AppManifest);
      const { report } = await readinessOf(job);
      const xterm = await waitFor(
        'a viewable, framed xterm',
        () => {
          const window = xtermWindowOf(report.display);
          return window?.viewable && window.framed ? window : undefined;
        },
        3000,
      );
      expect(xterm).toEqual({ framed: true, viewable: true });
      job.child.kill('SIGTERM');
      expect(await job.exit).toBe(143);
    }
  });

  it('runs the container app through apptainer exec, with the bind mount, on the desktop', async () => {
    // A stand-in for apptainer (not installable here): records argv, DISPLAY and environment, then
    // runs the command natively, as `apptainer exec IMAGE cmd...` would inside the image.
    const bin = join(workDir, 'standin-bin');
    mkdirSync(bin, { recursive: true });
    const record = join(workDir, 'apptainer-argv');
    writeFileSync(
      join(bin, 'apptainer'),
      [
        '#!/bin/bash',
        '# Stand-in for apptainer, on PATH for this test only.',
        `env > ${record}.env`,
        `printf '%s\\n' "$@" > ${record}.tmp && mv ${record}.tmp ${record}`,
        '[[ $1 == exec ]] || exit 90',
        'shift',
        'while [[ $1 == --bind ]]; do shift 2; done',
        'shift # the image',
        'exec "$@"',
      ].join('\n'),
    );
    chmodSync(join(bin, 'apptainer'), 0o755);

    const job = startJob(catalog.get('gedit-container') as AppManifest, {
      path: `${bin}:${process.env['PATH']}`,
    });
    const { report } = await readinessOf(job);
    const argv = await waitFor(
      'the stand-in apptainer',
      () => existsSync(record) && readFileSync(record, 'utf8'),
    );
    expect(argv.trim().split('\n')).toEqual([
      'exec',
      '--bind',
      '/tmp/.X11-unix:/tmp/.X11-unix:ro',
      '/opt/apptainers/apps/gedit/gedit.sif',
      'gedit',
    ]);
    const environment = readFileSync(`${record}.env`, 'utf8');
    expect(environment).toContain(`DISPLAY=:${report.display}\n`);
    expect(environment).not.toContain(SECRET);
    expect(environment).toContain(`VIZPORTAL_SESSION_ID=${job.sessionId}\n`);

    // gedit really opens its window on that display (measured under 4 s here).
    const windows = () =>
      spawnSync('xwininfo', ['-root', '-tree'], {
        env: { ...process.env, DISPLAY: `:${report.display}` },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    if (windows().error === undefined) {
      await waitFor(
        'the gedit window',
        () => / - gedit": \("gedit" "Gedit"\)/.test(windows().stdout),
        20_000,
      );
    } else {
      await waitFor(
        'the gedit process',
        () => allCommandLines().some((p) => p.argv.startsWith('gedit')),
        20_000,
      );
    }

    const { passwordFile } = xvncOf(report);
    const pids = [job.child.pid as number, ...descendants(job.child.pid as number)];
    job.child.kill('SIGTERM');
    expect(await job.exit).toBe(143);
    expectCleanedUp(report, passwordFile, pids);
  });

  it("ends with the app's exit status when the app exits, and says so in end.json", async () => {
    const app = parseAppManifest(
      JSON.stringify({
        id: 'exits',
        title: 'Exits',
        icon: 'science',
        category: 'Tests',
        slurm: { partition: 'viz', cpus: 1, memoryGb: 1, timeHours: 1 },
        desktop: { windowManager: 'openbox', geometry: '1024x768' },
        command: ['bash', '-c', 'sleep 0.5; exit 3'],
      }),
      'exits.json',
    );
    const job = startJob(app);
    const { report } = await readinessOf(job);
    const { passwordFile } = xvncOf(report);
    const pids = [job.child.pid as number, ...descendants(job.child.pid as number)];
    expect(await job.exit).toBe(3);
    expectCleanedUp(report, passwordFile, pids);
    expect(endMarkerOf(job)).toMatchObject({ exitCode: 3, reason: 'app-exited' });
  });

  /** An app of its own for a test: a manifest with this command, on openbox (xterm's own has none). */
  const appRunning = (command: string[]): AppManifest =>
    parseAppManifest(
      JSON.stringify({
        id: 'failing',
        title: 'Failing',
        icon: 'science',
        category: 'Tests',
        slurm: { partition: 'viz', cpus: 1, memoryGb: 1, timeHours: 1 },
        desktop: { windowManager: 'openbox', geometry: '1024x768' },
        command,
      }),
      'failing.json',
    );

  /** A folder on PATH for one test, holding a stand-in `name` with this bash body. */
  function standIn(name: string, body: string): string {
    const bin = join(workDir, `standin-${name}-${jobsStarted}`);
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
    return `${bin}:${process.env['PATH']}`;
  }

  it('ends at once with the exit status of an app that fails to start, and leaves nothing behind', async () => {
    const job = startJob(appRunning(['bash', '-c', 'exit 7']));
    expect(await job.exit).toBe(7);
    expect(endMarkerOf(job)).toMatchObject({ exitCode: 7, reason: 'app-exited' });
    const report = JSON.parse(readFileSync(join(job.staging, 'connection.json'), 'utf8')) as ReadinessReport;
    expect(existsSync(`/tmp/.X${report.display}-lock`)).toBe(false);
    expect(allCommandLines().filter((p) => p.argv.startsWith(`Xvnc :${report.display} `))).toEqual([]);
  });

  it('starts the app anyway when the window manager exits at once, and says so', async () => {
    const job = startJob(appRunning(['xterm']), { path: standIn('openbox', 'exit 1') });
    const { report } = await readinessOf(job);
    await waitFor('the xterm window', () => xtermWindowOf(report.display));
    expect(job.output()).toContain('vizportal: the window manager exited');
    expect(job.output()).toContain('vizportal: starting the app anyway');
    expect(vncLogin(report, report.password)).toBe('OK');
  });

  it('starts the app anyway when the window manager never takes over the screen, after 10 s', async () => {
    const job = startJob(appRunning(['xterm']), { path: standIn('openbox', 'exec sleep 600') });
    const { report } = await readinessOf(job);
    const started = Date.now();
    await waitFor('the xterm window', () => xtermWindowOf(report.display), 20_000);
    expect(Date.now() - started).toBeGreaterThan(5_000);
    expect(job.output()).toContain('vizportal: the window manager did not announce itself within 10 s');
    // Stopping the desktop also stops the window manager that never came.
    const pids = [job.child.pid as number, ...descendants(job.child.pid as number)];
    job.child.kill('SIGTERM');
    expect(await job.exit).toBe(143);
    expect(pids.filter(alive)).toEqual([]);
  }, 40_000);

  it('gives four desktops started at the same moment on one machine a display and port each, all working', async () => {
    // Started together they race for the same first free display; Xvnc's lock decides, the losers move on.
    const jobs = [0, 1, 2, 3].map(() => startJob(catalog.get('xterm') as AppManifest));
    const reports = (await Promise.all(jobs.map(readinessOf))).map(({ report }) => report);
    expect(new Set(reports.map((r) => r.display)).size).toBe(4);
    expect(new Set(reports.map((r) => r.port)).size).toBe(4);
    for (const report of reports) {
      expect(vncLogin(report, report.password)).toBe('OK');
      expect(xvncOf(report).pid).toBeGreaterThan(0);
    }
    // Each password opens only its own desktop.
    expect(vncLogin(reports[0], reports[1].password)).toBe('REFUSED');
  });

  it('takes a display whose lock and socket a killed desktop left behind', async () => {
    const display = firstUnusedDisplay();
    mkdirSync('/tmp/.X11-unix', { recursive: true, mode: 0o1777 });
    // As a SIGKILLed Xvnc leaves them: the lock names a dead pid, the socket file has no listener.
    writeFileSync(`/tmp/.X${display}-lock`, `${String(deadPid()).padStart(10)}\n`, { mode: 0o444 });
    const stale = spawnSync(process.execPath, [
      '-e',
      `require('net').createServer().listen('/tmp/.X11-unix/X${display}', () => process.exit(0))`,
    ]);
    expect(stale.status).toBe(0);
    expect(existsSync(`/tmp/.X11-unix/X${display}`)).toBe(true);

    const job = startJob(catalog.get('xterm') as AppManifest);
    const { report } = await readinessOf(job);
    expect(report.display).toBe(display);
    expect(vncLogin(report, report.password)).toBe('OK');
    expect(readFileSync(`/tmp/.X${display}-lock`, 'utf8').trim()).toBe(String(xvncOf(report).pid));
  });

  it('moves on when another server takes the display between the check and Xvnc starting', async () => {
    // A stand-in Xvnc, on PATH for this test only: on its first call it lets a real X server take
    // the display it was asked for, then runs the real Xvnc, which must lose that display.
    const display = firstUnusedDisplay();
    const bin = join(workDir, 'racing-xvnc-bin');
    mkdirSync(bin, { recursive: true });
    const realXvnc = spawnSync('bash', ['-c', 'command -v Xvnc'], { encoding: 'utf8' }).stdout.trim();
    writeFileSync(
      join(bin, 'Xvnc'),
      [
        '#!/bin/bash',
        `if [[ ! -e ${bin}/raced ]]; then`,
        `  touch ${bin}/raced`,
        // In a session of its own: the wrapper stops the Xvnc it started by process group.
        `  setsid ${realXvnc} "$1" -rfbport 6099 -SecurityTypes None -nolisten tcp 2> ${bin}/rival.log &`,
        `  echo $! > ${bin}/rival.pid`,
        '  for (( i = 0; i < 250; i++ )); do [[ -S /tmp/.X11-unix/X${1#:} ]] && break; sleep 0.02; done',
        'fi',
        `exec ${realXvnc} "$@"`,
      ].join('\n'),
    );
    chmodSync(join(bin, 'Xvnc'), 0o755);
    const rival = () => Number(readFileSync(join(bin, 'rival.pid'), 'utf8'));
    try {
      const job = startJob(catalog.get('xterm') as AppManifest, { path: `${bin}:${process.env['PATH']}` });
      const { report } = await readinessOf(job);
      expect(report.display).toBeGreaterThan(display);
      expect(job.output()).toContain(
        `Xvnc could not take display :${display}, port ${5900 + display}: (EE) Server is already active for display ${display}`,
      );
      expect(vncLogin(report, report.password)).toBe('OK');
      // The rival held the display all along.
      expect(alive(rival())).toBe(true);
    } finally {
      if (existsSync(join(bin, 'rival.pid')) && alive(rival())) process.kill(rival(), 'SIGTERM');
      await waitFor(
        'the rival X server to exit',
        () => !existsSync(join(bin, 'rival.pid')) || !alive(rival()) || undefined,
      );
    }
  });

  it("falls back to the host name's address outside a Slurm job", async () => {
    // A stand-in hostname, on PATH for this test only: this machine's name need not resolve.
    const bin = join(workDir, 'hostname-bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'hostname'), `#!/bin/bash\n[[ $1 == -i ]] && echo '${nodeAddress} ::1'\n`);
    chmodSync(join(bin, 'hostname'), 0o755);
    const job = startJob(catalog.get('xterm') as AppManifest, {
      node: null,
      path: `${bin}:${process.env['PATH']}`,
    });
    const { report } = await readinessOf(job);
    expect(report.host).toBe(nodeAddress);
    expect(vncLogin(report, report.password)).toBe('OK');
  });

  it('moves on to the next display when the port of the first free one is taken', async () => {
    const display = firstUnusedDisplay();
    const squatter = createTcpServer();
    await new Promise<void>((done) => squatter.listen(5900 + display, nodeAddress, done));
    try {
      const job = startJob(catalog.get('xterm') as AppManifest);
      const { report } = await readinessOf(job);
      expect(report.display).toBeGreaterThan(display);
      expect(job.output()).toContain(`Xvnc could not take display :${display}, port ${5900 + display}`);
      expect(existsSync(`/tmp/.X${display}-lock`)).toBe(false);
    } finally {
      squatter.close();
    }
  });

  it('gives up with xvnc-failed when Xvnc never starts', async () => {
    // A stand-in Xvnc that fails like a real one on a taken display, on PATH for this test only.
    const bin = join(workDir, 'failing-xvnc-bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(
      join(bin, 'Xvnc'),
      '#!/bin/bash\necho "Fatal server error:" >&2\necho "(EE) stand-in Xvnc refuses :${1#:}" >&2\nexit 1\n',
    );
    chmodSync(join(bin, 'Xvnc'), 0o755);
    const job = startJob(catalog.get('xterm') as AppManifest, { path: `${bin}:${process.env['PATH']}` });
    expect(await job.exit).toBe(1);
    expect(endMarkerOf(job)).toMatchObject({ exitCode: 1, reason: 'xvnc-failed' });
    expect(job.output()).toContain('stand-in Xvnc refuses');
    expect(existsSync(join(job.staging, 'connection.json'))).toBe(false);
  });

  /** A port nothing listens on. */
  async function deadPort(): Promise<number> {
    const closed = createTcpServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((done) => closed.close(() => done()));
    return port;
  }

  it('stops promptly on TERM while the readiness report is still being retried', async () => {
    const port = await deadPort();
    const job = startJob(catalog.get('xterm') as AppManifest, {
      readinessUrl: `http://127.0.0.1:${port}/ready`,
    });
    await waitFor(
      'curl retrying',
      () =>
        allCommandLines().some((p) => p.argv.startsWith('curl ') && p.argv.includes(`:${port}/ready`)) ||
        undefined,
    );
    const pids = [job.child.pid as number, ...descendants(job.child.pid as number)];
    const terminated = Date.now();
    job.child.kill('SIGTERM');
    expect(await job.exit).toBe(143);
    expect(Date.now() - terminated).toBeLessThan(1500);
    expect(pids.filter(alive)).toEqual([]);
  });

  it('keeps the desktop when the portal does not answer', async () => {
    const unanswered = await deadPort();
    const job = startJob(catalog.get('xterm') as AppManifest, {
      readinessUrl: `http://127.0.0.1:${unanswered}/ready`,
    });
    const report: ReadinessReport = await waitFor('connection.json', () => {
      const file = join(job.staging, 'connection.json');
      return existsSync(file) && JSON.parse(readFileSync(file, 'utf8'));
    });
    // curl is retrying now: its argv holds neither the secret nor the password.
    await waitFor(
      'curl retrying',
      () =>
        allCommandLines().some(
          (p) => p.argv.startsWith('curl ') && p.argv.includes(`:${unanswered}/ready`),
        ) || undefined,
    );
    expect(
      allCommandLines().filter((p) => p.argv.includes(SECRET) || p.argv.includes(report.password)),
    ).toEqual([]);

    await waitFor('the report to give up', () => job.output().includes('could not report readiness'), 20_000);
    expect(job.child.exitCode).toBeNull();
    expect(vncLogin(report, report.password)).toBe('OK');
  });
});
