// The built API (dist/apps/api/main.js, as tools/start.sh runs it) in a child process on loopback,
// for whatever drives a real portal from outside: the fault tests (SIGKILL it like a crash, start it
// again on the same database and port), the browser tests and the benchmarks. One place for the
// environment, the admin account, the wait until it answers and the stop.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Account, freePort } from './portal-client';

/** The repository this file is in (libs/portal-harness/src/lib, four levels down). */
export const REPO_ROOT = resolve(__dirname, '../../../..');

export const builtApiMain = (repoRoot = REPO_ROOT) => join(repoRoot, 'dist/apps/api/main.js');
export const builtWebDist = (repoRoot = REPO_ROOT) => join(repoRoot, 'dist/apps/web/browser');

/** Throws, saying how to build, when the API's build (and with `web`, the web app's) is missing. */
export function requireBuilds(options: { web?: boolean; repoRoot?: string } = {}): void {
  const repoRoot = options.repoRoot ?? REPO_ROOT;
  const needed = [
    builtApiMain(repoRoot),
    ...(options.web ? [join(builtWebDist(repoRoot), 'index.html')] : []),
  ];
  for (const file of needed) {
    if (!existsSync(file))
      throw new Error(
        `${file} is missing: build first (npx nx build api; npx nx build web --configuration=production)`,
      );
  }
}

export interface BuiltApiOptions {
  /** The data folder (database, staging folder); a fresh one under the temporary folder by default. */
  dir?: string;
  /** The port to listen on; a free one by default, chosen at the first start and kept for restarts. */
  port?: number;
  /** NODE_ENV; 'production' by default (only production serves the web app). */
  nodeEnv?: 'production' | 'test' | 'development';
  /** Serve the built web app (dist/apps/web/browser) too; off by default. Takes NODE_ENV=production. */
  serveWeb?: boolean;
  /** SLURM_SUBMIT_AS: jobs as their owners ('user') or as one account ('service', the API's default). */
  submitAs?: 'user' | 'service';
  /** SLURM_JOB_ACCOUNT: the Unix account service-mode jobs run as (root runs the API here). */
  jobAccount?: string;
  /** POLL_INTERVAL_FAST_MS and POLL_INTERVAL_SLOW_MS; the API's own defaults when unset. */
  pollIntervalsMs?: { fast: number; slow: number };
  /** LOGIN_RATE_LIMIT_PER_MINUTE; the API's default when unset. */
  loginRateLimitPerMinute?: number;
  /** LOG_LEVEL; the API's default when unset. */
  logLevel?: string;
  /** The admin account the API creates at start-up; `admin` with a generated password by default. */
  admin?: Account;
  /**
   * Start from this process's environment (true, the default) or from PATH and HOME alone (false,
   * so nothing set around the tests reaches the API).
   */
  inheritEnv?: boolean;
  /** Last, over everything above; undefined removes a variable. */
  env?: Record<string, string | undefined>;
  /** Append the API's output to this file; kept in memory (the last 64 KiB) when unset. */
  logFile?: string;
  /** How long start() waits for the API to answer; 60 s by default. */
  startTimeoutMs?: number;
  /** The script run with node in place of dist/apps/api/main.js (the harness's own tests). */
  main?: string;
  /** The repository whose dist/ and catalog/ are used, and the API's working folder. */
  repoRoot?: string;
}

const MEMORY_LOG_CHARS = 64 * 1024;
const TAIL_CHARS = 4000;

/** Every API started and not yet exited: killed when this process exits, whatever way it exits. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const running of live) running.kill('SIGKILL');
    });
  }
  live.add(child);
  child.once('exit', () => live.delete(child));
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const describeExit = ({ code, signal }: Exit) => (signal ? `signal ${signal}` : `code ${code}`);
const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/**
 * The built API in a child process. `BuiltApi.start(options)` starts one; `stop()` ends it
 * (SIGTERM, then SIGKILL after 10 s), `kill()` crashes it (SIGKILL, no shutdown hook runs), and
 * `start()` starts it again on the same folder and port.
 */
export class BuiltApi {
  readonly dir: string;
  readonly admin: Account;
  readonly logFile: string | undefined;
  private readonly repoRoot: string;
  private readonly main: string;
  private chosenPort: number | undefined;
  private child: ChildProcess | null = null;
  private exit: Exit | null = null;
  private exited: Promise<Exit> = Promise.resolve({ code: null, signal: null });
  private memoryLog = '';
  /** Where this run's output starts in the log file. */
  private logOffset = 0;

  constructor(private readonly options: BuiltApiOptions = {}) {
    this.repoRoot = options.repoRoot ?? REPO_ROOT;
    this.main = options.main ?? builtApiMain(this.repoRoot);
    this.dir = options.dir ?? mkdtempSync(join(tmpdir(), 'vizportal-api-'));
    this.chosenPort = options.port;
    this.admin = options.admin ?? {
      username: 'admin',
      password: `admin-${randomBytes(8).toString('hex')}`,
    };
    this.logFile = options.logFile;
  }

  /** Constructs and starts one; resolves once it answers. */
  static async start(options: BuiltApiOptions = {}): Promise<BuiltApi> {
    const api = new BuiltApi(options);
    await api.start();
    return api;
  }

  get port(): number {
    if (this.chosenPort === undefined) throw new Error('BuiltApi: no port before the first start()');
    return this.chosenPort;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get databasePath(): string {
    return join(this.dir, 'vizportal.sqlite');
  }

  get stagingDir(): string {
    return join(this.dir, 'sessions');
  }

  /** The process id while it runs. */
  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return this.child !== null && this.exit === null;
  }

  /** The output of the current (or last) run, as far as it is kept: the file's part, or memory's. */
  get output(): string {
    if (!this.logFile) return this.memoryLog;
    if (!existsSync(this.logFile)) return '';
    const fd = openSync(this.logFile, 'r');
    try {
      const length = Math.max(0, fstatSync(fd).size - this.logOffset);
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, this.logOffset);
      return buffer.toString('utf8');
    } finally {
      closeSync(fd);
    }
  }

  /** The last lines of the output, for error messages. */
  tail(chars = TAIL_CHARS): string {
    const output = this.output;
    return output.length > chars ? `…${output.slice(-chars)}` : output;
  }

  /** The environment the API runs with. */
  environment(): NodeJS.ProcessEnv {
    const o = this.options;
    const nodeEnv = o.nodeEnv ?? 'production';
    const env: Record<string, string | undefined> = {
      ...(o.inheritEnv === false
        ? { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/root' }
        : process.env),
      NODE_ENV: nodeEnv,
      HOST: '127.0.0.1',
      PORT: String(this.port),
      DATABASE_PATH: this.databasePath,
      STAGING_DIR: this.stagingDir,
      CATALOG_DIR: join(this.repoRoot, 'catalog'),
      // A folder that is not there serves nothing, whatever the API's default would find.
      WEB_DIST_DIR: o.serveWeb ? builtWebDist(this.repoRoot) : join(this.dir, 'no-web-app'),
      ADMIN_USERNAME: this.admin.username,
      ADMIN_PASSWORD: this.admin.password,
      // The cheapest bcrypt cost the API takes: logins in tests and benchmarks are not what is measured.
      PASSWORD_HASH_COST: '4',
    };
    if (o.submitAs) env['SLURM_SUBMIT_AS'] = o.submitAs;
    if (o.jobAccount) env['SLURM_JOB_ACCOUNT'] = o.jobAccount;
    if (o.pollIntervalsMs) {
      env['POLL_INTERVAL_FAST_MS'] = String(o.pollIntervalsMs.fast);
      env['POLL_INTERVAL_SLOW_MS'] = String(o.pollIntervalsMs.slow);
    }
    if (o.loginRateLimitPerMinute !== undefined)
      env['LOGIN_RATE_LIMIT_PER_MINUTE'] = String(o.loginRateLimitPerMinute);
    if (o.logLevel) env['LOG_LEVEL'] = o.logLevel;
    Object.assign(env, o.env);
    for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
    return env;
  }

  /**
   * Starts node on main.js and resolves once GET /api/auth/me answers 401. Rejects with the tail of
   * its output when it exits first, or when it does not answer in time (then it is killed).
   */
  async start(): Promise<void> {
    if (this.running) throw new Error(`BuiltApi: already running (pid ${this.child?.pid})`);
    if (!existsSync(this.main))
      throw new Error(`${this.main} is missing: build the API first (npx nx build api)`);
    this.chosenPort ??= await freePort();
    mkdirSync(this.dir, { recursive: true });
    // Jobs running as alice or bob (SLURM_SUBMIT_AS=user) must reach their staging folders below it.
    chmodSync(this.dir, 0o711);

    let stdio: 'pipe' | number = 'pipe';
    if (this.logFile) {
      stdio = openSync(this.logFile, 'a');
      this.logOffset = fstatSync(stdio).size;
    }
    this.memoryLog = '';
    this.exit = null;
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, [this.main], {
        cwd: this.repoRoot,
        env: this.environment(),
        stdio: ['ignore', stdio, stdio],
      });
    } finally {
      // The child has its own copy of the descriptor.
      if (typeof stdio === 'number') closeSync(stdio);
    }
    this.child = child;
    const keep = (chunk: Buffer) =>
      (this.memoryLog = (this.memoryLog + chunk.toString()).slice(-MEMORY_LOG_CHARS));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise<Exit>((done) => {
      child.once('error', (error) => {
        // Spawning failed: no exit event follows.
        this.memoryLog += `\n${String(error)}`;
        const exit = this.exit ?? { code: null, signal: null };
        this.exit = exit;
        done(exit);
      });
      child.once('exit', (code, signal) => {
        const exit = { code, signal };
        this.exit = exit;
        done(exit);
      });
    });
    track(child);
    await this.waitUntilAnswering();
  }

  private async waitUntilAnswering(): Promise<void> {
    const timeoutMs = this.options.startTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    const where = this.logFile ? ` (all of it in ${this.logFile})` : '';
    let last = 'no answer';
    for (;;) {
      if (this.exit)
        throw new Error(
          `the API (${this.main}) exited at start-up (${describeExit(this.exit)}); its output${where}:\n${this.tail()}`,
        );
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(
          `the API did not answer on ${this.baseUrl} within ${timeoutMs} ms (last: ${last}), so it was killed; its output${where}:\n${this.tail()}`,
        );
      }
      try {
        const response = await fetch(`${this.baseUrl}/api/auth/me`, { signal: AbortSignal.timeout(5000) });
        await response.body?.cancel();
        if (response.status === 401) return;
        last = `HTTP ${response.status}`;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error); // not listening yet
      }
      await Promise.race([sleep(100), this.exited]);
    }
  }

  /** SIGTERM, then SIGKILL after `killAfterMs` (10 s); resolves once it has exited. */
  async stop(killAfterMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child || this.exit) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    try {
      await this.exited;
    } finally {
      clearTimeout(killer);
    }
  }

  /** SIGKILL, as a crash or the OOM killer would: no shutdown hook runs. Resolves once it is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || this.exit) return;
    child.kill('SIGKILL');
    await this.exited;
  }
}
