// Starts the real, built portal (dist/apps/api serving dist/apps/web) on a free port with a fresh
// database and staging folder, and creates the accounts alice and bob (real Unix users of the
// dev cluster). The builds come first: the e2e target depends on api:build and web:build.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Account, type PortalEnv, REPO_ROOT, STATE_ENV, apiJson, apiLogin } from './portal-env';

const API_MAIN = join(REPO_ROOT, 'dist/apps/api/main.js');
const WEB_DIST = join(REPO_ROOT, 'dist/apps/web/browser');

export default async function globalSetup(): Promise<void> {
  for (const built of [API_MAIN, join(WEB_DIST, 'index.html')]) {
    if (!existsSync(built))
      throw new Error(`${built} is missing: build first (npx nx run-many -t build -p api web)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'vizportal-e2e-'));
  // Jobs may run as alice or bob: they must be able to reach their staging folders.
  chmodSync(dir, 0o711);
  const stagingDir = join(dir, 'sessions');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const admin: Account = { username: 'admin', password: `admin-${randomBytes(6).toString('hex')}` };
  const logDir = join(REPO_ROOT, 'artifacts');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, 'e2e-api.log');
  const log = openSync(logFile, 'w');

  const api = spawn(process.execPath, [API_MAIN], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_PATH: join(dir, 'vizportal.sqlite'),
      STAGING_DIR: stagingDir,
      CATALOG_DIR: join(REPO_ROOT, 'catalog'),
      WEB_DIST_DIR: WEB_DIST,
      ADMIN_USERNAME: admin.username,
      ADMIN_PASSWORD: admin.password,
      POLL_INTERVAL_FAST_MS: '300',
      POLL_INTERVAL_SLOW_MS: '1000',
      PASSWORD_HASH_COST: '4',
      LOGIN_RATE_LIMIT_PER_MINUTE: '100',
      // Jobs run as the logged-in user (sudo -n -u alice), as a site would run the portal. It also
      // keeps jobs clear of root's login shell, which Slurm sources for every job (sbatch
      // --export=NONE implies --get-user-env) and which can stall on this machine.
      SLURM_SUBMIT_AS: process.env['E2E_SLURM_SUBMIT_AS'] ?? 'user',
    },
    stdio: ['ignore', log, log],
    detached: false,
  });
  if (!api.pid) throw new Error('the API did not start');
  // A crash before the tests start should say so, not time out.
  let exited: number | null = null;
  api.once('exit', (code) => (exited = code ?? -1));
  api.unref();

  const env: PortalEnv = {
    baseUrl,
    pid: api.pid,
    dir,
    stagingDir,
    logFile,
    admin,
    alice: { username: 'alice', password: `alice-${randomBytes(6).toString('hex')}` },
    bob: { username: 'bob', password: `bob-${randomBytes(6).toString('hex')}` },
  };
  const stateFile = join(dir, 'e2e-state.json');
  writeFileSync(stateFile, JSON.stringify(env, null, 2));
  process.env[STATE_ENV] = stateFile;

  await waitForPortal(baseUrl, () => exited, logFile);
  const adminCookie = await apiLogin(baseUrl, admin);
  for (const user of [env.alice, env.bob]) {
    await apiJson(baseUrl, adminCookie, 'POST', '/api/users', user);
  }
  console.log(`\ne2e: portal on ${baseUrl} (data in ${dir}, log in ${logFile})`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPortal(baseUrl: string, exitCode: () => number | null, logFile: string): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (exitCode() !== null) throw new Error(`the API exited (code ${exitCode()}); see ${logFile}`);
    try {
      const response = await fetch(`${baseUrl}/api/auth/me`);
      if (response.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the API did not answer on ${baseUrl} within 60 s; see ${logFile}`);
}
