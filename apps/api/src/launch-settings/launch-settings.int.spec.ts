// The preset routes through the whole API (AppModule, its migrations on a fresh SQLite file, the
// login, the audit log) with the local cluster's partitions: a REST round trip as alice and bob.
import { SessionClient } from '../../test/support/session-client';
import {
  type ApiTestApp,
  TEST_ADMIN,
  createUsers,
  login,
  startApiTestApp,
} from '../../test/support/api-test-app';

describe('saved settings through the API', () => {
  let api: ApiTestApp;
  let alice: SessionClient;
  let bob: SessionClient;

  beforeAll(async () => {
    api = await startApiTestApp();
    const cookies = await createUsers(api.baseUrl, ['alice', 'bob']);
    alice = new SessionClient(api.baseUrl, cookies['alice']);
    bob = new SessionClient(api.baseUrl, cookies['bob']);
  });
  afterAll(() => api.close());

  it("saves alice's preset, lists it for her without problems, and keeps it from bob", async () => {
    const path = '/api/apps/desktop/presets/quick%20desktop';
    const saved = await alice.request('PUT', path, { values: { partition: 'viz', cpus: 2, hours: 1 } });
    expect(saved.status).toBe(200);

    const mine = await (await alice.request('GET', '/api/apps/desktop/settings')).json();
    expect(mine).toMatchObject({
      appId: 'desktop',
      last: null,
      presets: [{ name: 'quick desktop', values: { partition: 'viz', cpus: 2, hours: 1 }, problems: [] }],
    });

    const bobs = await (await bob.request('GET', '/api/apps/desktop/settings')).json();
    expect(bobs.presets).toEqual([]);
    expect((await bob.request('DELETE', path)).status).toBe(404);
    expect((await alice.request('DELETE', path)).status).toBe(204);
  });

  it('refuses a preset outside the form with 400 and the sentence', async () => {
    const response = await alice.request('PUT', '/api/apps/desktop/presets/huge', { values: { cpus: 64 } });
    expect(response.status).toBe(400);
    expect((await response.json()).message).toEqual(['CPUs must be at most 4 (saved: 64).']);
  });

  it('records the save in the audit log', async () => {
    const admin = new SessionClient(
      api.baseUrl,
      await login(api.baseUrl, TEST_ADMIN.username, TEST_ADMIN.password),
    );
    const page = await (await admin.request('GET', '/api/admin/audit?action=preset.save')).json();
    expect(
      page.events.map((event: { actor: string; outcome: string }) => [event.actor, event.outcome]),
    ).toEqual(
      expect.arrayContaining([
        ['alice', 'ok'],
        ['alice', 'refused'],
      ]),
    );
  });
});
