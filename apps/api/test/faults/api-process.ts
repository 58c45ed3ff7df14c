// The built API (dist/apps/api/main.js, as tools/start.sh runs it) in a child process, so a test can
// SIGKILL it like a crash and start it again on the same database and staging folder.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { REPO_CATALOG, TEST_ADMIN } from '../support/api-test-app';

export const REPO_ROOT = resolve(__dirname, '../../../..');
export const BUILT_API = resolve(REPO_ROOT, 'dist/apps/api/main.js');

/** A free TCP port on loopback (the API keeps the same one across restarts: jobs report to it). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export class ApiProcess {
  private child: ChildProcess | null = null;
  private output = '';

  constructor(
    readonly dir: string,
    readonly port: number,
    private readonly env: Record<string, string> = {},
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts node dist/apps/api/main.js and resolves once it answers /api/health. */
  async start(timeoutMs = 60_000): Promise<void> {
    if (!existsSync(BUILT_API)) {
      throw new Error(
        `${BUILT_API} is missing: build the API first with \`npx nx build api\` (CI builds it before the integration tests)`,
      );
    }
    this.output = '';
    const child = spawn(process.execPath, [BUILT_API], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/root',
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(this.port),
        DATABASE_PATH: resolve(this.dir, 'vizportal.sqlite'),
        STAGING_DIR: resolve(this.dir, 'sessions'),
        CATALOG_DIR: REPO_CATALOG,
        PASSWORD_HASH_COST: '4',
        // Root runs the API here: its service-mode jobs run as the dev cluster's unprivileged account.
        SLURM_JOB_ACCOUNT: 'vizportal',
        ADMIN_USERNAME: TEST_ADMIN.username,
        ADMIN_PASSWORD: TEST_ADMIN.password,
        POLL_INTERVAL_FAST_MS: '300',
        POLL_INTERVAL_SLOW_MS: '1000',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-8000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`the API exited at start-up:\n${this.output}`);
      try {
        await fetch(`${this.baseUrl}/api/health`);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    throw new Error(`the API did not answer within ${timeoutMs} ms:\n${this.output}`);
  }

  /** SIGKILL, as a crash or the OOM killer would: no shutdown hook runs. Resolves once it is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get log(): string {
    return this.output;
  }
}
