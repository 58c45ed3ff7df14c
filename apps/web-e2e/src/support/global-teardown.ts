// Stops every session the tests launched (through the API, as the admin who sees all; scancel as
// a fallback), then the API, and removes the temporary data folder.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type BuiltApi, apiJson, login } from '@vizportal/portal-harness';
import { E2E_API_GLOBAL, REPO_ROOT, readPortalEnv } from './portal-env';

interface SessionSummary {
  id: string;
  state: string;
  jobId: string | null;
  canStop: boolean;
}

export default async function globalTeardown(): Promise<void> {
  let env;
  try {
    env = readPortalEnv();
  } catch {
    return; // setup failed before the portal started
  }
  const jobIds = new Set<string>();
  try {
    const cookie = await login(env.baseUrl, env.admin);
    // The first page holds every live session (ended ones need no stopping).
    const { sessions } = await apiJson<{ sessions: SessionSummary[] }>(
      env.baseUrl,
      cookie,
      'GET',
      '/api/sessions',
    );
    for (const session of sessions) {
      if (session.jobId) jobIds.add(session.jobId);
      if (session.canStop)
        await apiJson(env.baseUrl, cookie, 'POST', `/api/sessions/${session.id}/stop`).catch(() => undefined);
    }
  } catch (error) {
    console.warn(`e2e teardown: could not stop sessions through the API: ${String(error)}`);
  }
  // Whatever the API could not stop, Slurm can (a job already gone is not an error worth reporting).
  if (jobIds.size) {
    try {
      execFileSync('scancel', [...jobIds], { stdio: 'ignore', timeout: 15_000 });
    } catch {
      // jobs already ended
    }
  }
  // SIGTERM, then SIGKILL after 10 s. Were the object lost, the harness still kills the API when
  // jest exits.
  await ((globalThis as Record<string, unknown>)[E2E_API_GLOBAL] as BuiltApi | undefined)?.stop();
  // Each session's output log goes to artifacts/ first: it is what tells why a desktop misbehaved.
  for (const id of existsSync(env.stagingDir) ? readdirSync(env.stagingDir) : []) {
    const log = join(env.stagingDir, id, 'output.log');
    if (existsSync(log)) copyFileSync(log, join(REPO_ROOT, 'artifacts', `session-${id}.log`));
  }
  rmSync(env.dir, { recursive: true, force: true });
}
