// Abuse on the local cluster, SLURM_SUBMIT_AS=user: the session folder is its owner's, so alice can
// put anything there. She swaps her job's output.log (and end.json) for links to files the portal
// can read and she cannot (/etc/shadow; the portal's database on a real site); it must serve none.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ApiTestApp, createUsers, startApiTestApp } from '../support/api-test-app';
import { SessionClient } from '../support/session-client';

/** Runs a command as alice, as she would in her desktop's shell. */
const SECRET_FILE = '/etc/shadow';
const asAlice = (...command: string[]) =>
  execFileSync('runuser', ['-u', 'alice', '--', ...command], { encoding: 'utf8' });

describe('links planted in a user-owned session folder', () => {
  let api: ApiTestApp;
  let alice: SessionClient;
  let folder: string;
  let sessionId: string;

  beforeAll(async () => {
    api = await startApiTestApp({ SLURM_SUBMIT_AS: 'user' });
    const cookies = await createUsers(api.baseUrl, ['alice']);
    alice = new SessionClient(api.baseUrl, cookies.alice);
    await alice.connectSocket();
    const session = await alice.launch('xterm');
    await alice.waitFor(session.id, (s) => s.state === 'running');
    sessionId = session.id;
    folder = join(api.dir, 'sessions', session.id);
    // The attack needs a file alice cannot read herself.
    expect(() => asAlice('cat', SECRET_FILE)).toThrow();
  });

  afterAll(async () => {
    alice.close();
    await api.close();
  });

  it('answers 403 with a sentence, never the target, for an output.log linked to a file only the portal may read', async () => {
    asAlice('ln', '-sfn', SECRET_FILE, join(folder, 'output.log'));
    const response = await alice.request('GET', `/api/sessions/${sessionId}/log`);
    const text = await response.text();
    expect(response.status).toBe(403);
    expect(JSON.parse(text).message).toMatch(
      /output\.log is a symbolic link; the portal reads only plain files/,
    );
    expect(text).not.toContain('root:');
    expect(readFileSync(SECRET_FILE, 'utf8')).toContain('root:');
  });

  it('refuses an output.log hard-linked to another of her files', async () => {
    asAlice(
      'bash',
      '-c',
      `rm -f '${folder}/output.log' && echo private > ~/notes && ln ~/notes '${folder}/output.log'`,
    );
    const response = await alice.request('GET', `/api/sessions/${sessionId}/log`);
    expect(response.status).toBe(403);
    expect((await response.json()).message).toMatch(/output\.log is a hard link to another file/);
  });

  it('takes no end marker through a link: a stopped session ends cancelled, as Slurm says', async () => {
    asAlice(
      'bash',
      '-c',
      `printf '%s' '{"exitCode":0,"reason":"app-exited","endedAt":"2026-01-01T00:00:00Z"}' > ~/fake-end.json && ln -sfn ~/fake-end.json '${folder}/end.json'`,
    );
    const stopped = await (await alice.request('POST', `/api/sessions/${sessionId}/stop`)).json();
    expect(stopped.state).toBe('cancelled');
    const final = await alice.waitFor(sessionId, (s) => s.state === 'cancelled');
    expect(final.endReason).toBe('cancelled-by-user');
  });
});
