// What the fault tests share: driving the local cluster's daemons (tools/dev-cluster), reading
// Slurm's own view of a session's jobs, and waiting for a condition without a fixed sleep.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { SCHEDULER_STATUS_EVENT, type SchedulerStatusDto, type SessionDto } from '@vizportal/session-domain';
import { io, type Socket } from 'socket.io-client';
import type { SessionClient } from '../support/session-client';

const DEV_CLUSTER = resolve(__dirname, '../../../../tools/dev-cluster/dev-cluster.sh');

/**
 * Runs a dev-cluster subcommand (stop-ctld, start-ctld, kill-node viz01, up, …); rejects on failure.
 * Asynchronous because the API under test runs in this process: a synchronous child would freeze
 * its event loop, and the keep-alive timers that fire together afterwards reset the next request.
 */
export async function devCluster(...args: string[]): Promise<void> {
  try {
    await promisify(execFile)('bash', [DEV_CLUSTER, ...args], { timeout: 180_000 });
  } catch (error) {
    // execFile's message holds only stderr: a silent exit needs its code, signal and stdout to be read.
    const { code, signal, stdout } = error as { code?: number; signal?: string; stdout?: string };
    throw new Error(
      `${(error as Error).message.trim()} (exit code ${code}, signal ${signal ?? 'none'})\n${stdout ?? ''}`,
    );
  }
}

/** Brings every daemon back and every node usable: for afterAll, so a failed test never leaves the cluster broken. */
export async function restoreCluster(attempts = 3): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await devCluster('up');
      return;
    } catch (error) {
      // A node just declared DOWN can miss its first start; `up` is idempotent, so try again.
      if (attempt >= attempts) throw error;
    }
  }
}

/** The pid of the running slurmctld. */
export function slurmctldPid(): number {
  return Number(readFileSync('/run/slurm/slurmctld.pid', 'utf8').trim());
}

export interface SlurmJobRow {
  jobId: string;
  state: string;
  workDir: string;
}

/** Every job Slurm still lists (any state), from squeue; the session id is the last part of the work dir. */
export function slurmJobs(): SlurmJobRow[] {
  const out = execFileSync('squeue', ['-h', '-t', 'all', '-o', '%i|%T|%Z'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return out
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [jobId, state, workDir] = line.split('|');
      return { jobId, state, workDir };
    });
}

/** The jobs whose work dir is this session's staging folder: how many Slurm has for it. */
export function jobsOfSession(sessionId: string): SlurmJobRow[] {
  return slurmJobs().filter((job) => job.workDir.endsWith(`/${sessionId}`));
}

export function cancelJobs(jobIds: Array<string | null | undefined>): void {
  const ids = jobIds.filter((id): id is string => Boolean(id));
  if (ids.length === 0) return;
  try {
    execFileSync('scancel', ids, { stdio: 'ignore', timeout: 30_000 });
  } catch {
    // Already gone, or Slurm away: the next test's clean-up tries again.
  }
}

/** The states in which a job holds resources or waits for them. */
const LIVE_JOB_STATES = ['PENDING', 'RUNNING', 'COMPLETING', 'CONFIGURING', 'SUSPENDED'];

/**
 * Cancels the live jobs `pick` chooses and waits until Slurm has ended them: until then a job's
 * wrapper may still write into its staging folder, so the folder cannot be removed.
 */
async function endJobsWhere(what: string, pick: (job: SlurmJobRow) => boolean): Promise<void> {
  const live = () => slurmJobs().filter((job) => LIVE_JOB_STATES.includes(job.state) && pick(job));
  cancelJobs(live().map((job) => job.jobId));
  await waitUntil(what, () => live().length === 0, 60_000, 500);
}

/** Ends the jobs of these sessions (their work dir is the session's staging folder). */
export function endJobsOf(sessionIds: string[]): Promise<void> {
  const ids = new Set(sessionIds);
  return endJobsWhere('the jobs of the test sessions ended', (job) =>
    ids.has(job.workDir.slice(job.workDir.lastIndexOf('/') + 1)),
  );
}

/** Ends every job whose work dir is under `folder`: an API test app's, before its folder goes. */
export function endJobsUnder(folder: string): Promise<void> {
  return endJobsWhere(`the jobs under ${folder} ended`, (job) => job.workDir.startsWith(`${folder}/`));
}

/**
 * Waits until Slurm has no live job at all: for a test that counts how many of its own jobs fit.
 * A job an earlier suite is still ending would otherwise free its CPUs mid-test and let one of
 * this test's queued jobs start.
 */
export async function waitForIdleCluster(timeoutMs = 120_000): Promise<void> {
  const live = () => slurmJobs().filter((job) => LIVE_JOB_STATES.includes(job.state));
  try {
    await waitUntil('Slurm has no live job', () => live().length === 0, timeoutMs, 500);
  } catch {
    const left = live().map((job) => `${job.jobId} ${job.state} in ${job.workDir}`);
    throw new Error(`the cluster is not idle after ${timeoutMs} ms; live jobs: ${left.join('; ')}`);
  }
}

/** Polls until check() returns a value other than undefined/false; throws with `what` after timeoutMs. */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
  everyMs = 250,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let lastError: unknown = null;
  while (Date.now() < until) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
      lastError = null;
    } catch (error) {
      lastError = error;
    }
    await sleep(everyMs);
  }
  throw new Error(
    `not within ${timeoutMs} ms: ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`,
  );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Running, or queued with the reason Slurm gives for the wait (Resources, Priority): not a job
 * just submitted that the scheduler has not looked at yet (reason None).
 */
export function isSettled(session: SessionDto | undefined): boolean {
  if (!session) return false;
  return (
    session.state === 'running' ||
    (session.state === 'queued' && session.slurmReason !== null && session.slurmReason !== 'None')
  );
}

/** The user's sessions by id, over REST (every page). */
export async function sessionsById(client: SessionClient): Promise<Map<string, SessionDto>> {
  return new Map((await client.listAll()).map((session) => [session.id, session]));
}

/** A socket that records every scheduler.status the gateway sends (the web app's status banner reads the same). */
export async function schedulerStatusSocket(
  baseUrl: string,
  cookie: string,
): Promise<{ events: SchedulerStatusDto[]; close(): void }> {
  const events: SchedulerStatusDto[] = [];
  const socket: Socket = io(baseUrl, {
    path: '/api/socket.io',
    transports: ['websocket'],
    extraHeaders: { cookie },
  });
  socket.on(SCHEDULER_STATUS_EVENT, (status: SchedulerStatusDto) => events.push(status));
  await new Promise<void>((resolveConnect, reject) => {
    socket.once('connect', () => resolveConnect());
    socket.once('connect_error', reject);
  });
  return { events, close: () => socket.disconnect() };
}

/** Pids of the processes of a Slurm job with this command name (found by SLURM_JOB_ID in their environment). */
export function jobProcesses(jobId: string, command: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== command) continue;
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (environ.includes(`SLURM_JOB_ID=${jobId}`)) pids.push(Number(entry));
    } catch {
      // The process ended meanwhile.
    }
  }
  return pids;
}
