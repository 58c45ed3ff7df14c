// The readiness endpoint (POST /api/internal/sessions/:id/ready), attacked on a running desktop of
// the local cluster: no secret, a wrong one, a reused one, a host outside VNC_HOST_PATTERN, ports
// outside VNC_PORT_MIN..MAX (22 among them). Each is refused with a 4xx, the session's endpoint
// stays what the job reported, and the VNC proxy still dials the real desktop: a TCP listener on a
// port inside the VNC range, which the forged reports name, never sees a connection.
import { randomBytes } from 'node:crypto';
import type { SessionDto } from '@vizportal/session-domain';
import { VNC_PORT_RANGE } from '@vizportal/job-templates';
import { SessionRepository } from '../../src/sessions/session.repository';
import { sha256 } from '../../src/sessions/session.service';
import { type ApiTestApp, createUsers, startApiTestApp, wsUrl } from '../support/api-test-app';
import { rfbHandshake, webSocketTransport } from '@vizportal/portal-harness';
import { SessionClient } from '../support/session-client';
import { waitUntil } from '../faults/fault-helpers';
import { ConnectionRecorder, countBy, problemWithErrorBody, rawRequest } from './abuse-helpers';

describe('the readiness endpoint under attack', () => {
  let api: ApiTestApp;
  let alice: SessionClient;
  let session: SessionDto;
  let trapPort = 0;
  const trap = new ConnectionRecorder();
  const statuses: number[] = [];

  const endpointOf = async () => (await api.app.get(SessionRepository).findById(session.id))?.endpoint;
  const report = (id: string, secret: string | null, body: Record<string, unknown>) =>
    rawRequest(api.baseUrl, {
      method: 'POST',
      path: `/api/internal/sessions/${id}/ready`,
      headers: {
        'content-type': 'application/json',
        ...(secret === null ? {} : { authorization: `Bearer ${secret}` }),
      },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    // A port the proxy would accept, that no desktop uses: the top of the range, going down.
    for (let port = VNC_PORT_RANGE.max; !trapPort && port > VNC_PORT_RANGE.max - 20; port--) {
      trapPort = await trap.listen(port).catch(() => 0);
    }
    expect(trapPort).toBeGreaterThan(0);
    api = await startApiTestApp();
    alice = new SessionClient(api.baseUrl, (await createUsers(api.baseUrl, ['alice'])).alice);
    await alice.connectSocket();
    session = await alice.launch('xterm');
    await alice.waitFor(session.id, (s) => s.state === 'running', 90_000);
  }, 120_000);

  afterAll(async () => {
    await alice?.request('POST', `/api/sessions/${session?.id}/stop`);
    alice?.close();
    await api?.close();
    await trap.close();
  });

  it('refuses no secret, a wrong secret, hosts outside the pattern and ports outside the range, leaving the endpoint alone', async () => {
    const endpoint = await endpointOf();
    expect(endpoint?.port).toBeGreaterThanOrEqual(VNC_PORT_RANGE.min);
    expect(endpoint?.port).not.toBe(trapPort);
    const password = (
      (await (await alice.request('POST', `/api/sessions/${session.id}/connect`)).json()) as {
        password: string;
      }
    ).password;
    // The job's own secret was spent by its report; a fresh one that only the test knows stands in
    // for a job whose report has not arrived yet (only the hash is stored, as the service does).
    const secret = randomBytes(32).toString('base64url');
    await api.app.get(SessionRepository).setReadinessSecretHash(session.id, sha256(secret));
    const good = { host: '127.0.0.1', port: endpoint?.port, password, display: endpoint?.display };
    const atTrap = { ...good, port: trapPort };

    const attacks: Array<[string, string | null, Record<string, unknown>, number]> = [
      ['no secret', null, atTrap, 401],
      ['a wrong secret', randomBytes(32).toString('base64url'), atTrap, 401],
      [
        'the secret with one character changed',
        `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`,
        atTrap,
        401,
      ],
      ...[
        '10.0.0.1',
        'evil.example',
        'localhost',
        '127.0.0.2',
        '127.0.0.1.evil.example',
        ' 127.0.0.1',
        '127.0.0.1\n',
        '0x7f000001',
        '[::1]',
        '169.254.169.254',
      ].map((host): [string, string, Record<string, unknown>, number] => [
        `host ${JSON.stringify(host)}`,
        secret,
        { ...atTrap, host },
        422,
      ]),
      ['port 22', secret, { ...good, port: 22 }, 422],
      ['port just below the range', secret, { ...good, port: VNC_PORT_RANGE.min - 1 }, 422],
      ['port just above the range', secret, { ...good, port: VNC_PORT_RANGE.max + 1 }, 422],
      ['port 0', secret, { ...good, port: 0 }, 400],
      ['port 65536', secret, { ...good, port: 65_536 }, 400],
      ['port as text', secret, { ...good, port: String(trapPort) }, 400],
      ['an extra field', secret, { ...atTrap, node: '10.0.0.1' }, 400],
    ];
    for (const [what, sentSecret, body, status] of attacks) {
      const response = await report(session.id, sentSecret, body);
      statuses.push(response.status);
      expect({ what, status: response.status, problem: problemWithErrorBody(response.text) }).toEqual({
        what,
        status,
        problem: null,
      });
      expect([what, await endpointOf()]).toEqual([what, endpoint]);
    }

    // The refusals spent nothing: the secret still takes one good report, then never again.
    expect((await report(session.id, secret, good)).status).toBe(204);
    const reused = await report(session.id, secret, atTrap);
    statuses.push(reused.status);
    expect([reused.status, problemWithErrorBody(reused.text)]).toEqual([401, null]);
    const elsewhere = await report('0b6f3f0e-3c1c-4c55-9a39-0f2d3cf1b9a1', secret, atTrap);
    statuses.push(elsewhere.status);
    expect(elsewhere.status).toBe(401);
    expect(await endpointOf()).toEqual(endpoint);
    console.log(
      `readiness: ${statuses.length} forged reports refused, statuses ${JSON.stringify(countBy(statuses))}`,
    );
  });

  it('still proxies to the real desktop, and never dialled the port the forged reports named', async () => {
    const grant = (await (await alice.request('POST', `/api/sessions/${session.id}/connect`)).json()) as {
      path: string;
      password: string;
    };
    const transport = await webSocketTransport(wsUrl(api.baseUrl, grant.path), { cookie: alice.cookie });
    try {
      expect((await rfbHandshake(transport, grant.password)).width).toBe(1024);
    } finally {
      transport.close();
    }
    expect((await (await alice.request('GET', `/api/sessions/${session.id}`)).json()).state).toBe('running');
    expect(trap.connections).toBe(0);
  });

  it('(the control) does dial the listener once a report with a valid secret names it', async () => {
    const secret = randomBytes(32).toString('base64url');
    await api.app.get(SessionRepository).setReadinessSecretHash(session.id, sha256(secret));
    const endpoint = await endpointOf();
    expect(
      (
        await report(session.id, secret, {
          host: '127.0.0.1',
          port: trapPort,
          password: 'whatever',
          display: endpoint?.display,
        })
      ).status,
    ).toBe(204);
    const grant = (await (await alice.request('POST', `/api/sessions/${session.id}/connect`)).json()) as {
      path: string;
    };
    await webSocketTransport(wsUrl(api.baseUrl, grant.path), { cookie: alice.cookie }).then(
      (transport) => transport.close(),
      () => undefined,
    );
    await waitUntil('the proxy to dial the listener', async () => trap.connections > 0, 5_000);
    expect(trap.connections).toBe(1);
  });
});
