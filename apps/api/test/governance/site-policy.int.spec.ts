// Site governance on the local cluster: an app limited to a group is invisible and refused (403,
// nothing submitted) for others until an admin gives the group; a partition limited to a group;
// the live-sessions quota holds under 20 launches at once (exactly 2 pass, and Slurm holds exactly
// 2 jobs); a disabled account loses its login; and the audit log records all of it, for admins
// only, as JSON and CSV, with no password, cookie, connect token or VNC password in it.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppDto, SessionDto } from '@vizportal/session-domain';
import type { AuditEventDto, AuditPageDto, QuotaReportDto } from '@vizportal/site-policy';
import {
  type ApiTestApp,
  createUsers,
  login,
  REPO_CATALOG,
  startApiTestApp,
  TEST_ADMIN,
} from '../support/api-test-app';
import { SessionClient } from '../support/session-client';

const scratch = mkdtempSync(join(tmpdir(), 'vizportal-policy-'));
const catalogDir = join(scratch, 'catalog');
cpSync(REPO_CATALOG, catalogDir, { recursive: true });
// The shipped xterm, limited to the group cae-users: a site's licensed app, in miniature.
writeFileSync(
  join(catalogDir, 'cae-xterm.yaml'),
  readFileSync(join(REPO_CATALOG, 'xterm.yaml'), 'utf8')
    .replace(/^id: xterm$/m, 'id: cae-xterm')
    .replace(/^title: .*$/m, 'title: CAE terminal')
    .concat('\naccess:\n  groups: [cae-users]\n'),
);
const policyFile = join(scratch, 'policy.yaml');
writeFileSync(
  policyFile,
  [
    'partitions:',
    '  debug: { groups: [debuggers] }',
    'quotas:',
    '  defaults: { liveSessions: 10 }',
    '  users:',
    '    bob: { liveSessions: 2 }',
  ].join('\n'),
);

/** Session folders the API made; none before the first launch. */
const foldersIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).length : 0);

/** The live jobs of `user` that this suite's API submitted (their work dir is under its folder). */
const jobsOf = (user: string, apiDir: string) =>
  execFileSync('squeue', ['-h', '-u', user, '-o', '%i|%Z'])
    .toString()
    .split('\n')
    .filter((line) => line.includes(`|${apiDir}/`))
    .map((line) => line.split('|')[0]);

describe('site governance on the local cluster', () => {
  let api: ApiTestApp;
  let alice: SessionClient;
  let bob: SessionClient;
  let admin: SessionClient;
  const secrets: string[] = [];

  beforeAll(async () => {
    api = await startApiTestApp({
      CATALOG_DIR: catalogDir,
      SITE_POLICY_FILE: policyFile,
      SLURM_SUBMIT_AS: 'user',
    });
    const cookies = await createUsers(api.baseUrl, ['alice', 'bob']);
    alice = new SessionClient(api.baseUrl, cookies.alice);
    bob = new SessionClient(api.baseUrl, cookies.bob);
    const adminCookie = await login(api.baseUrl, TEST_ADMIN.username, TEST_ADMIN.password);
    admin = new SessionClient(api.baseUrl, adminCookie);
    secrets.push(TEST_ADMIN.password, 'alice-password-for-tests', 'bob-password-for-tests');
    for (const cookie of [cookies.alice, cookies.bob, adminCookie]) secrets.push(cookie.split('=')[1]);
    // A wrong password, so the audit has a refused login (and must not keep the password tried).
    const wrong = await fetch(`${api.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'not-her-password-123' }),
    });
    expect(wrong.status).toBe(401);
    secrets.push('not-her-password-123');
  });

  afterAll(async () => {
    alice.close();
    await api.close();
  });

  it('hides an app limited to a group, refuses it with a sentence, and submits nothing, until an admin gives the group', async () => {
    const listed = async (client: SessionClient) =>
      ((await (await client.request('GET', '/api/apps')).json()) as AppDto[]).map((app) => app.id);
    expect(await listed(alice)).not.toContain('cae-xterm');
    expect(await listed(alice)).toContain('xterm');

    const deepLink = await alice.request('GET', '/api/apps/cae-xterm');
    expect(deepLink.status).toBe(403);
    expect((await deepLink.json()).message).toBe(
      'CAE terminal is limited by your site to members of cae-users. Ask your portal administrator if you need it.',
    );
    const folders = foldersIn(join(api.dir, 'sessions'));
    const launch = await alice.request('POST', '/api/sessions', { appId: 'cae-xterm', values: {} });
    expect(launch.status).toBe(403);
    expect((await launch.json()).message).toMatch(
      /^CAE terminal is limited by your site to members of cae-users/,
    );
    expect(await alice.listAll()).toEqual([]);
    expect(foldersIn(join(api.dir, 'sessions'))).toBe(folders);
    expect(jobsOf('alice', api.dir)).toEqual([]);

    // Only an administrator gives groups: alice cannot give them to herself.
    const selfGrant = await alice.request('PATCH', '/api/users/alice', { groups: ['cae-users'] });
    expect(selfGrant.status).toBe(403);
    expect((await alice.request('GET', '/api/apps/cae-xterm')).status).toBe(403);
    const granted = await admin.request('PATCH', '/api/users/alice', { groups: ['cae-users'] });
    expect(granted.status).toBe(200);
    expect((await granted.json()).groups).toEqual(['cae-users']);
    expect(await listed(alice)).toContain('cae-xterm');
    const session = await alice.launch('cae-xterm', { hours: 1 });
    expect(session.jobId).toMatch(/^\d+$/);
    expect((await alice.request('POST', `/api/sessions/${session.id}/stop`)).status).toBe(200);
  });

  it("relaunches by the owner's groups: an admin outside the group relaunches alice's app, and once she loses the group her own relaunch is refused and leaves the desktop as it was", async () => {
    const session = await alice.launch('cae-xterm', { hours: 1 });
    // The administrator is not in cae-users: what counts is whether alice may use the app.
    const byAdmin = await admin.request('POST', `/api/sessions/${session.id}/relaunch`);
    expect(byAdmin.status).toBe(201);
    const relaunched = (await byAdmin.json()) as SessionDto;
    expect(relaunched).toMatchObject({ owner: 'alice', appId: 'cae-xterm' });
    expect(relaunched.jobId).toMatch(/^\d+$/);

    const revoked = await admin.request('PATCH', '/api/users/alice', { groups: [] });
    expect(revoked.status).toBe(200);
    const refused = await alice.request('POST', `/api/sessions/${relaunched.id}/relaunch`);
    expect(refused.status).toBe(403);
    expect((await refused.json()).message).toMatch(
      /^CAE terminal is limited by your site to members of cae-users/,
    );
    // Refused before anything was stopped: the desktop and its job are still there.
    const kept = (await (await alice.request('GET', `/api/sessions/${relaunched.id}`)).json()) as SessionDto;
    expect(['queued', 'starting', 'running']).toContain(kept.state);
    expect(jobsOf('alice', api.dir)).toContain(relaunched.jobId);
    expect((await alice.listAll()).filter((s) => s.canStop).map((s) => s.id)).toEqual([relaunched.id]);
    expect((await alice.request('POST', `/api/sessions/${relaunched.id}/stop`)).status).toBe(200);
  });

  it('keeps a partition limited to a group out of the form and refuses a launch into it', async () => {
    const apps = (await (await bob.request('GET', '/api/apps')).json()) as AppDto[];
    const partitionField = apps
      .find((app) => app.id === 'xterm')
      ?.form.find((field) => field.id === 'partition');
    expect(partitionField?.options?.map((option) => option.value)).toEqual(['viz']);
    const launch = await bob.request('POST', '/api/sessions', {
      appId: 'xterm',
      values: { partition: 'debug', hours: 0.5 },
    });
    expect(launch.status).toBe(403);
    expect((await launch.json()).message).toBe(
      'The partition "debug" is limited by your site to members of debuggers. Choose another partition, or ask your portal administrator.',
    );
    expect(jobsOf('bob', api.dir)).toEqual([]);
  });

  it('lets exactly 2 of 20 simultaneous launches through a live-sessions limit of 2; the rest get 409 with the limit named', async () => {
    const before = (await (await bob.request('GET', '/api/quotas/mine')).json()) as QuotaReportDto;
    expect(before.quotas.find((quota) => quota.quota === 'liveSessions')).toMatchObject({
      used: 0,
      limit: 2,
    });

    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        bob.request('POST', '/api/sessions', { appId: 'xterm', values: { hours: 1 } }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(2);
    expect(statuses.filter((status) => status === 409)).toHaveLength(18);
    const refusal = await answers[statuses.indexOf(409)].json();
    expect(refusal).toMatchObject({
      error: 'Quota Exceeded',
      message: 'You have 2 sessions running or waiting; the limit is 2. Stop one to start another.',
      quota: { name: 'liveSessions', used: 2, limit: 2 },
    });
    const launched = (await Promise.all(
      answers.filter((a) => a.status === 201).map((a) => a.json()),
    )) as SessionDto[];
    expect((await bob.listAll()).map((session) => session.id).sort()).toEqual(
      launched.map((s) => s.id).sort(),
    );
    expect(jobsOf('bob', api.dir).sort()).toEqual(launched.map((session) => session.jobId).sort());

    const during = (await (await bob.request('GET', '/api/quotas/mine')).json()) as QuotaReportDto;
    expect(during.quotas.find((quota) => quota.quota === 'liveSessions')).toMatchObject({
      used: 2,
      limit: 2,
    });
    // Stopping one frees its place.
    expect((await bob.request('POST', `/api/sessions/${launched[0].id}/stop`)).status).toBe(200);
    const third = await bob.request('POST', '/api/sessions', { appId: 'xterm', values: { hours: 1 } });
    expect(third.status).toBe(201);
    for (const session of [launched[1], (await third.json()) as SessionDto])
      await bob.request('POST', `/api/sessions/${session.id}/stop`);
  });

  it('disabling an account ends its login at once and refuses its next one with a sentence', async () => {
    const cookies = await createUsers(api.baseUrl, ['carol']);
    const carol = new SessionClient(api.baseUrl, cookies.carol);
    secrets.push('carol-password-for-tests', cookies.carol.split('=')[1]);
    expect((await carol.request('GET', '/api/auth/me')).status).toBe(200);
    expect((await admin.request('PATCH', '/api/users/carol', { disabled: true })).status).toBe(200);
    const after = await carol.request('GET', '/api/auth/me');
    expect(after.status).toBe(401);
    const again = await fetch(`${api.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'carol', password: 'carol-password-for-tests' }),
    });
    expect(again.status).toBe(403);
    expect((await again.json()).message).toBe(
      'This account is disabled. Ask your portal administrator to enable it.',
    );
    // An administrator cannot lock themself out.
    const selfLockout = await admin.request('PATCH', `/api/users/${TEST_ADMIN.username}`, { disabled: true });
    expect(selfLockout.status).toBe(409);
    expect((await admin.request('GET', '/api/auth/me')).status).toBe(200);
  });

  it('records who did what in the audit log, for admins only, as JSON and CSV, and never a secret', async () => {
    // A desktop connect, whose answer carries a connect token and the VNC password.
    const session = await alice.launch('xterm', { hours: 1 });
    await alice.connectSocket();
    await alice.waitFor(session.id, (s) => s.state === 'running');
    const grant = await alice.request('POST', `/api/sessions/${session.id}/connect`);
    expect(grant.status).toBe(200);
    const { token, password } = (await grant.json()) as { token: string; password: string };
    secrets.push(token, password);
    await alice.request('POST', `/api/sessions/${session.id}/stop`);

    const denied = await alice.request('GET', '/api/admin/audit');
    expect(denied.status).toBe(403);

    const events: AuditEventDto[] = [];
    for (let before: string | null = null, pages = 0; pages < 20; pages++) {
      const query: string = before ? `?limit=50&before=${before}` : '?limit=50';
      const page = (await (await admin.request('GET', `/api/admin/audit${query}`)).json()) as AuditPageDto;
      events.push(...page.events);
      before = page.next;
      if (!before) break;
    }
    const find = (action: string, actor: string, outcome = 'ok') =>
      events.filter((event) => event.action === action && event.actor === actor && event.outcome === outcome);

    expect(find('login', 'alice', 'refused')).toHaveLength(1);
    expect(find('login', 'bob').length).toBeGreaterThan(0);
    expect(find('session.launch', 'alice', 'refused')[0]).toMatchObject({
      details: { appId: 'cae-xterm', status: 403 },
    });
    expect(find('session.launch', 'bob', 'refused').filter((e) => e.details['status'] === 409)).toHaveLength(
      18,
    );
    const launch = find('session.launch', 'alice').find((event) => event.sessionId === session.id);
    expect(launch).toMatchObject({ address: '127.0.0.1', details: { appId: 'xterm', jobId: session.jobId } });
    expect(find('session.connect', 'alice').map((event) => event.sessionId)).toContain(session.id);
    expect(find('session.stop', 'alice').map((event) => event.sessionId)).toContain(session.id);
    expect(find('user.update', 'admin').map((event) => event.subject)).toEqual(
      expect.arrayContaining(['alice', 'carol']),
    );
    expect(find('access.denied', 'alice', 'refused')[0]).toMatchObject({
      details: { path: '/api/admin/audit' },
    });

    const filtered = (await (
      await admin.request('GET', `/api/admin/audit?user=bob&action=session.launch&limit=100`)
    ).json()) as AuditPageDto;
    expect(filtered.events.length).toBe(
      find('session.launch', 'bob').length + find('session.launch', 'bob', 'refused').length,
    );
    expect(filtered.events.every((event) => event.actor === 'bob' && event.action === 'session.launch')).toBe(
      true,
    );

    const csv = await admin.request('GET', `/api/admin/audit?session=${session.id}&format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('at,actor,action,outcome,address,sessionId,subject,details');
    expect(lines.slice(1).some((line) => line.includes('"session.launch"'))).toBe(true);

    const bad = await admin.request('GET', '/api/admin/audit?action=launch&from=yesterday');
    expect(bad.status).toBe(400);

    // Every stored event, as the admin would export it, against every secret the tests handled.
    const everything = JSON.stringify(events);
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});
