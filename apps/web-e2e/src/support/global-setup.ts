// Starts the real, built portal (dist/apps/api serving dist/apps/web) on a free port with a fresh
// database and staging folder, and creates the accounts alice and bob (real Unix users of the
// dev cluster). The builds come first: the e2e target depends on api:build and web:build.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BuiltApi, createAccounts, requireBuilds } from '@vizportal/portal-harness';
import { E2E_API_GLOBAL, type PortalEnv, REPO_ROOT, STATE_ENV } from './portal-env';

export default async function globalSetup(): Promise<void> {
  requireBuilds({ web: true });
  const logDir = join(REPO_ROOT, 'artifacts');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, 'e2e-api.log');
  writeFileSync(logFile, '');
  const dir = mkdtempSync(join(tmpdir(), 'vizportal-e2e-'));
  const site = writeSitePolicy(dir);
  const api = new BuiltApi({
    dir,
    nodeEnv: 'production',
    serveWeb: true,
    pollIntervalsMs: { fast: 300, slow: 1000 },
    loginRateLimitPerMinute: 100,
    logFile,
    // Jobs run as the logged-in user (sudo -n -u alice), as a site would run the portal. It also
    // keeps jobs clear of root's login shell, which Slurm sources for every job (sbatch
    // --export=NONE implies --get-user-env) and which can stall on this machine.
    env: { SLURM_SUBMIT_AS: process.env['E2E_SLURM_SUBMIT_AS'] ?? 'user', ...site },
  });
  try {
    await api.start();
  } catch (error) {
    rmSync(api.dir, { recursive: true, force: true });
    throw error;
  }
  // Global teardown runs in this same context: it stops the API through this object.
  (globalThis as Record<string, unknown>)[E2E_API_GLOBAL] = api;

  const env: PortalEnv = {
    baseUrl: api.baseUrl,
    pid: api.pid as number,
    dir: api.dir,
    stagingDir: api.stagingDir,
    logFile,
    admin: api.admin,
    alice: { username: 'alice', password: `alice-${randomBytes(6).toString('hex')}` },
    bob: { username: 'bob', password: `bob-${randomBytes(6).toString('hex')}` },
  };
  const stateFile = join(api.dir, 'e2e-state.json');
  writeFileSync(stateFile, JSON.stringify(env, null, 2));
  process.env[STATE_ENV] = stateFile;

  await createAccounts(api, api.admin, [env.alice, env.bob]);
  console.log(`\ne2e: portal on ${api.baseUrl} (data in ${api.dir}, log in ${logFile})`);
}

/**
 * The shipped catalog plus one app limited to the group cae-users, and a site policy with a CPU
 * quota: what the governance test shows in the browser. The quota is far above what the other
 * tests hold, so it never refuses them.
 */
function writeSitePolicy(dir: string): Record<string, string> {
  const catalog = join(dir, 'catalog');
  cpSync(join(REPO_ROOT, 'catalog'), catalog, { recursive: true });
  writeFileSync(
    join(catalog, 'cae-xterm.yaml'),
    readFileSync(join(REPO_ROOT, 'catalog/xterm.yaml'), 'utf8')
      .replace(/^id: xterm$/m, 'id: cae-xterm')
      .replace(/^title: .*$/m, 'title: CAE terminal')
      .concat('\naccess:\n  groups: [cae-users]\n'),
  );
  const policy = join(dir, 'site-policy.yaml');
  writeFileSync(policy, 'quotas:\n  defaults: { cpus: 64 }\n');
  return { CATALOG_DIR: catalog, SITE_POLICY_FILE: policy };
}
