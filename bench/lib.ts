// What every benchmark shares: the built API started as a child process on a fresh database and
// staging folder, accounts (both through libs/portal-harness, as the fault and browser tests start
// it), process figures from /proc, a wrapper folder that counts Slurm commands, the cluster lock,
// and clean-up that runs on success, failure and Ctrl-C alike.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import sqlite3 from 'sqlite3';
import type { SessionDto } from '../libs/session-domain/src';

export type { SessionDto };
// By relative path: the benchmarks run under ts-node with bench/tsconfig.json, without path aliases.
import {
  type Account,
  BuiltApi,
  builtApiMain,
  builtWebDist,
  createAccounts as createPortalAccounts,
  requireBuilds as requirePortalBuilds,
} from '../libs/portal-harness/src';

export { type Account, apiJson, freePort, login } from '../libs/portal-harness/src';
import { apiJson } from '../libs/portal-harness/src';

export const REPO_ROOT = resolve(__dirname, '..');
export const API_MAIN = builtApiMain(REPO_ROOT);
export const WEB_DIST = builtWebDist(REPO_ROOT);
export const CLUSTER_LOCK = '/tmp/vizportal-cluster.lock';
/** A session's ended states, as the API names them. */
export const ENDED_STATES = ['completed', 'failed', 'cancelled', 'timed_out'];

/** Debian's Chromium, headless, with the flags the e2e tests use (no browser is ever downloaded). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
const LOCK_HELD_ENV = 'VIZPORTAL_BENCH_LOCK_HELD';

// ---------------------------------------------------------------- clean-up

// An API that outlives the async clean-up (an exit that skips it) is killed by the harness itself.
type Cleanup = () => unknown;
const cleanups: Cleanup[] = [];

/** Registers a clean-up step; steps run last-registered first. */
export function onCleanup(step: Cleanup): void {
  cleanups.push(step);
}

async function runCleanups(): Promise<void> {
  while (cleanups.length > 0) {
    const step = cleanups.pop() as Cleanup;
    try {
      await step();
    } catch (error) {
      console.error(`clean-up step failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/**
 * Runs a benchmark: re-executes the script under the cluster lock first when it uses the cluster,
 * and cleans up whatever it registered however it ends.
 */
export function runBenchmark(
  name: string,
  body: () => Promise<void>,
  options: { usesCluster: boolean },
): void {
  if (options.usesCluster && !process.env[LOCK_HELD_ENV]) {
    // flock(1) holds the lock for exactly the life of the re-executed script.
    const result = spawnSync(
      'flock',
      [CLUSTER_LOCK, process.execPath, ...process.execArgv, ...process.argv.slice(1)],
      {
        stdio: 'inherit',
        env: { ...process.env, [LOCK_HELD_ENV]: '1' },
      },
    );
    process.exit(result.status ?? 1);
  }
  let interrupted = false;
  const interrupt = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    console.error(`${name}: ${signal}, cleaning up`);
    void runCleanups().then(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  body()
    .then(
      () => 0,
      (error: unknown) => {
        console.error(
          `${name}: FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        return 1;
      },
    )
    .then(async (code) => {
      await runCleanups();
      process.exit(code);
    });
}

// ---------------------------------------------------------------- small helpers

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

export async function until<T>(
  read: () => Promise<T> | T,
  done: (value: T) => boolean,
  timeoutMs: number,
  what: string,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(value)})`);
    await sleep(everyMs);
  }
}

/** True once something accepts a TCP connection there. */
export function tcpAccepts(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/** A temporary folder removed at clean-up; 0711 so jobs running as alice reach what is under it. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o711);
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// ---------------------------------------------------------------- /proc figures

/** Resident set size of a process, in MiB (VmRSS). */
export function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  if (!line) throw new Error(`no VmRSS for ${pid}`);
  return Number(line.split(/\s+/)[1]) / 1024;
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU time of a process in ms: its own (utime+stime) and its waited-for children's (cutime+cstime). */
export function cpuMs(pid: number): { own: number; children: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const tick = (index: number) => (Number(fields[index - 3]) * 1000) / CLOCK_TICKS;
  return { own: tick(14) + tick(15), children: tick(16) + tick(17) };
}

// ---------------------------------------------------------------- machine

export function machineSummary(): string {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m)?.[1] ?? 'unknown CPU';
  const memGiB =
    Number(readFileSync('/proc/meminfo', 'utf8').match(/^MemTotal:\s+(\d+)/m)?.[1] ?? 0) / 1024 / 1024;
  const slurm = spawnSync('sinfo', ['--version'], { encoding: 'utf8' }).stdout?.trim() || 'no Slurm';
  return `${execFileSync('nproc', { encoding: 'utf8' }).trim()} CPUs (${cpu}), ${memGiB.toFixed(1)} GiB RAM, Node ${process.version}, ${slurm}`;
}

// ---------------------------------------------------------------- Slurm wrappers

export interface SlurmCallLog {
  binDir: string;
  logFile: string;
  /** The calls logged so far: command name, argv, and when it started (ms since the epoch). */
  calls(): { command: string; args: string[]; at: number }[];
}

const SLURM_COMMANDS = ['sbatch', 'squeue', 'scancel', 'scontrol', 'sinfo', 'sacct'];

/** A folder of wrappers (for SLURM_BIN_DIR) that log each call, then exec the real /usr/bin command. */
export function slurmCallLog(parent: string): SlurmCallLog {
  const binDir = join(parent, 'slurm-bin');
  mkdirSync(binDir, { mode: 0o755 });
  const logFile = join(parent, 'slurm-calls.log');
  writeFileSync(logFile, '');
  // Jobs submitted through sudo as alice log here too.
  chmodSync(logFile, 0o666);
  for (const command of SLURM_COMMANDS) {
    const wrapper = join(binDir, command);
    // One line per call: the time in ms, a tab, the command, a tab, then each argument ended by a
    // unit separator (0x1f).
    writeFileSync(
      wrapper,
      `#!/bin/sh\n{ printf '%s\\t' "$(date +%s%3N)" ${command}; printf '%s\\037' "$@"; echo; } >> ${logFile}\nexec /usr/bin/${command} "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
  }
  return {
    binDir,
    logFile,
    calls: () =>
      readFileSync(logFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const first = line.indexOf('\t');
          const second = line.indexOf('\t', first + 1);
          return {
            at: Number(line.slice(0, first)),
            command: line.slice(first + 1, second),
            args: line
              .slice(second + 1)
              .split('\x1f')
              .slice(0, -1),
          };
        }),
  };
}

/**
 * sbatch --hold of a trivial script as alice: jobs that stay pending until cancelled. Ids are pushed
 * into `into` as they come, so a clean-up registered beforehand cancels even a half-done batch.
 */
export async function submitHeldJobs(count: number, into: string[], parallel = 4): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const id = await new Promise<string>((done, fail) => {
        execFile(
          'sudo',
          [
            '-n',
            '-u',
            'alice',
            'sbatch',
            '--parsable',
            '--hold',
            '--job-name=vizportal-bench-held',
            '--output=/dev/null',
            '--wrap=true',
          ],
          { encoding: 'utf8', cwd: '/tmp' },
          (error, stdout, stderr) =>
            error
              ? fail(new Error(`sbatch --hold: ${stderr || error.message}`))
              : done(stdout.trim().split(';')[0]),
        );
      });
      into.push(id);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/**
 * scancel of these job ids (in batches), ignoring jobs that already ended, then waits (up to 30 s)
 * until none is pending, running or completing: a cancelled desktop still writes end.json into its
 * staging folder, which must not come back after the folder has been removed.
 */
export async function scancelAll(jobIds: string[]): Promise<void> {
  for (let i = 0; i < jobIds.length; i += 200) {
    spawnSync('scancel', jobIds.slice(i, i + 200), { stdio: 'ignore' });
  }
  const deadline = Date.now() + 30_000;
  for (let i = 0; i < jobIds.length; i += 200) {
    for (;;) {
      const listed = spawnSync('squeue', ['-h', '-o', '%i', `--jobs=${jobIds.slice(i, i + 200).join(',')}`], {
        encoding: 'utf8',
      });
      // squeue fails once Slurm has forgotten every job named: gone too.
      if (listed.status !== 0 || listed.stdout.trim() === '' || Date.now() > deadline) break;
      await sleep(200);
    }
  }
}

// ---------------------------------------------------------------- the API

export interface RunningApi {
  pid: number;
  port: number;
  baseUrl: string;
  dir: string;
  databasePath: string;
  stagingDir: string;
  logFile: string;
  admin: Account;
  /** SIGTERM, then SIGKILL after 10 s; resolves once it has exited. */
  stop(): Promise<void>;
}

export interface StartApiOptions {
  /** Extra environment, over the benchmark defaults. */
  env?: Record<string, string>;
  /** Reuse this folder (database, staging) instead of a fresh one: for a second start. */
  dir?: string;
  /** Listen on this port instead of a random free one: for a second start on the same one. */
  port?: number;
}

export function requireBuilds(web = false): void {
  requirePortalBuilds({ web, repoRoot: REPO_ROOT });
}

/** The same admin for every start, so a second start on the same database logs in alike. */
const ADMIN: Account = { username: 'admin', password: `admin-${randomBytes(6).toString('hex')}` };

/**
 * Starts dist/apps/api/main.js in production mode (serving the web app, jobs as their owners) and
 * waits until it answers; its output goes to a fresh api-<time>.log in the data folder.
 */
export async function startApi(options: StartApiOptions = {}): Promise<RunningApi> {
  requireBuilds();
  const dir = options.dir ?? tempDir('vizportal-bench-');
  const logFile = join(dir, `api-${Date.now()}.log`);
  const api = new BuiltApi({
    repoRoot: REPO_ROOT,
    dir,
    port: options.port,
    nodeEnv: 'production',
    serveWeb: true,
    admin: ADMIN,
    loginRateLimitPerMinute: 1000,
    logLevel: 'warn',
    // As a site runs it, and clear of root's login shell, which Slurm sources for every job.
    submitAs: 'user',
    env: options.env,
    logFile,
  });
  onCleanup(() => api.stop());
  await api.start();
  return {
    pid: api.pid as number,
    port: api.port,
    baseUrl: api.baseUrl,
    dir,
    databasePath: api.databasePath,
    stagingDir: api.stagingDir,
    logFile,
    admin: api.admin,
    stop: () => api.stop(),
  };
}

/** Creates portal accounts as the admin (a 409 for an existing one is fine); returns them. */
export function createAccounts(api: RunningApi, usernames: string[]): Promise<Account[]> {
  return createPortalAccounts(api, api.admin, usernames, {
    passwordFor: (username) => `${username}-bench-password`,
  });
}

/** One Prometheus sample from /api/metrics (METRICS_TOKEN unset: public), or 0 when absent. */
export async function metric(api: RunningApi, name: string): Promise<number> {
  const text = await (await fetch(`${api.baseUrl}/api/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

// ---------------------------------------------------------------- direct database seeding

/** A session row as the migrations create it; dates as TypeORM writes them on SQLite (UTC text). */
export interface SessionRow {
  id: string;
  owner: string;
  state: string;
  jobId: string | null;
  node?: string | null;
  createdAt: Date;
  startedAt?: Date | null;
  endedAt?: Date | null;
  readyAt?: Date | null;
  endReason?: string | null;
  exitCode?: number | null;
  message?: string | null;
  slurmState?: string | null;
  endpointPort?: number | null;
  endpointDisplay?: number | null;
  vncPassword?: string | null;
}

/** TypeORM's SQLite format for a Date: `YYYY-MM-DD HH:MM:SS.mmm` in UTC. */
export const sqliteDate = (date: Date | null | undefined) =>
  date ? date.toISOString().replace('T', ' ').replace('Z', '') : null;

/** Inserts session rows in one transaction (the API must be stopped, or at least not writing them). */
export async function insertSessions(databasePath: string, rows: SessionRow[]): Promise<void> {
  const db = new sqlite3.Database(databasePath);
  const run = (sql: string, params: unknown[] = []) =>
    new Promise<void>((done, fail) => db.run(sql, params, (error) => (error ? fail(error) : done())));
  try {
    await run('PRAGMA busy_timeout = 10000');
    await run('BEGIN');
    for (const row of rows) {
      await run(
        `INSERT INTO sessions (id, owner, appId, appTitle, "values", state, jobId, submitToken, slurmState, slurmFlags,
           slurmReason, node, expectedStartAt, startedAt, endedAt, readyAt, createdAt, updatedAt, timeLimitMinutes,
           exitCode, endReason, message, endpointPort, endpointDisplay, notListedSince, vncPassword, readinessSecretHash)
         VALUES (?, ?, 'desktop', 'Desktop', ?, ?, ?, ?, ?, '[]', NULL, ?, NULL, ?, ?, ?, ?, ?, 60, ?, ?, ?, ?, ?, NULL, ?, NULL)`,
        [
          row.id,
          row.owner,
          JSON.stringify({ partition: 'viz', cpus: 1, memory: 1, hours: 1, geometry: '1280x800' }),
          row.state,
          row.jobId,
          randomBytes(16).toString('hex'),
          row.slurmState ?? null,
          row.node ?? null,
          sqliteDate(row.startedAt),
          sqliteDate(row.endedAt),
          sqliteDate(row.readyAt),
          sqliteDate(row.createdAt),
          sqliteDate(row.endedAt ?? row.startedAt ?? row.createdAt),
          row.exitCode ?? null,
          row.endReason ?? null,
          row.message ?? null,
          row.endpointPort ?? null,
          row.endpointDisplay ?? null,
          row.vncPassword ?? null,
        ],
      );
    }
    await run('COMMIT');
  } finally {
    await new Promise<void>((done) => db.close(() => done()));
  }
}

// ---------------------------------------------------------------- sessions

/** The desktop app (1 CPU, 1 hour) launched through the API, once it runs; throws if it ended first. */
export async function launchRunningDesktop(api: RunningApi, cookie: string): Promise<SessionDto> {
  const launched = await apiJson<SessionDto>(api, cookie, 'POST', '/api/sessions', {
    appId: 'desktop',
    values: { cpus: 1, hours: 1 },
  });
  const session = await until(
    () => apiJson<SessionDto>(api, cookie, 'GET', `/api/sessions/${launched.id}`),
    (s) => s.state === 'running' || ENDED_STATES.includes(s.state),
    120_000,
    `desktop ${launched.id} running`,
    200,
  );
  if (session.state !== 'running' || !session.jobId)
    throw new Error(`desktop ${session.id} ended ${session.state} before it ran: ${session.message}`);
  return session;
}
