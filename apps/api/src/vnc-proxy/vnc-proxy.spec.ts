// VncProxy.authorize, the upgrade check, with its collaborators stubbed (no cluster, no Xvnc): a page
// of another site is refused before anything else, so it cannot even use up a token.
import type { IncomingMessage } from 'node:http';
import type { ConfigService } from '@nestjs/config';
import type { HttpAdapterHost } from '@nestjs/core';
import type { AuthService } from '../auth/auth.service';
import type { ClusterService } from '../cluster/cluster.service';
import type { AppConfig } from '../config/app-config';
import type { SessionRepository } from '../sessions/session.repository';
import type { ConnectTokenService } from '../sessions/connect-token.service';
import { VncEndpointPolicy } from '../sessions/vnc-endpoint-policy';
import { VncProxy } from './vnc-proxy';

const SESSION_ID = '0b6f5a8e-1111-4222-8333-444455556666';
const CONFIG: Partial<AppConfig> = {
  VNC_HOST_PATTERN: '^127\\.0\\.0\\.1$',
  VNC_PORT_MIN: 5920,
  VNC_PORT_MAX: 6019,
};

describe('VncProxy.authorize', () => {
  const consume = jest.fn();
  let proxy: VncProxy;
  let user: { username: string; isAdmin: boolean };
  let session: Record<string, unknown> | null;
  let nodeAddress: string | null;

  beforeEach(() => {
    consume.mockReset().mockReturnValue('alice');
    user = { username: 'alice', isAdmin: false };
    session = { id: SESSION_ID, owner: 'alice', state: 'running', node: 'viz01', endpoint: { port: 5921 } };
    nodeAddress = '127.0.0.1';
    proxy = new VncProxy(
      {} as HttpAdapterHost,
      { authenticateRequest: async () => user } as unknown as AuthService,
      { consume } as unknown as ConnectTokenService,
      { findById: async () => session } as unknown as SessionRepository,
      { nodeAddress: async () => nodeAddress } as unknown as ClusterService,
      new VncEndpointPolicy({ get: (key: keyof AppConfig) => CONFIG[key] } as unknown as ConfigService<
        AppConfig,
        true
      >),
    );
  });

  const upgrade = (headers: Record<string, string>) =>
    ({
      url: `/api/sessions/${SESSION_ID}/vnc?token=t0k3n`,
      method: 'GET',
      headers: { host: 'portal.example', upgrade: 'websocket', connection: 'Upgrade', ...headers },
    }) as unknown as IncomingMessage;

  it.each([
    ['an Origin of another site', { origin: 'https://evil.example' }],
    ['an Origin of a sibling port', { origin: 'https://portal.example:8443' }],
    ['Origin: null', { origin: 'null' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
  ])('refuses a handshake with %s with 403, leaving the token unused', async (_what, headers) => {
    await expect(proxy.authorize(upgrade(headers), SESSION_ID)).rejects.toMatchObject({
      status: 403,
      reason: 'cross-site handshake (Origin is not this portal)',
    });
    expect(consume).not.toHaveBeenCalled();
  });

  it.each([
    ["the portal's own page", { origin: 'https://portal.example' }],
    [
      "the portal's own page behind a proxy",
      { host: '127.0.0.1:8080', 'x-forwarded-host': 'portal.example', origin: 'https://portal.example' },
    ],
    ['a client that sends no Origin', {}],
  ])('lets %s through to the token check', async (_what, headers) => {
    await expect(proxy.authorize(upgrade(headers), SESSION_ID)).resolves.toEqual({
      username: 'alice',
      target: { host: '127.0.0.1', port: 5921 },
    });
    expect(consume).toHaveBeenCalledWith('t0k3n', SESSION_ID);
  });

  describe('refuses at connect time, after the token', () => {
    it.each([
      [
        'a session that is no longer running',
        () => (session = { ...session, state: 'cancelled', endpoint: null }),
        409,
        'session is cancelled',
      ],
      ['a session that is gone', () => (session = null), 404, 'no such session of this user'],
      [
        "another user's session",
        () => (session = { ...session, owner: 'bob' }),
        404,
        'no such session of this user',
      ],
      [
        'a node Slurm gives no address for',
        () => (nodeAddress = null),
        502,
        'Slurm gives no address for node viz01',
      ],
      [
        'a node address outside VNC_HOST_PATTERN',
        () => (nodeAddress = '10.0.0.7'),
        403,
        'node address 10.0.0.7 is outside VNC_HOST_PATTERN',
      ],
      [
        'a port outside the VNC range',
        () => (session = { ...session, endpoint: { port: 22 } }),
        403,
        'port 22 is outside the VNC port range 5920-6019',
      ],
      [
        'a token of another user',
        () => consume.mockReturnValue('bob'),
        403,
        'token of bob presented by alice',
      ],
      [
        'a token unknown, used or expired',
        () => consume.mockReturnValue(null),
        403,
        'token unknown, used, expired or for another session',
      ],
    ])('%s', async (_what, arrange, status, reason) => {
      arrange();
      await expect(proxy.authorize(upgrade({}), SESSION_ID)).rejects.toMatchObject({ status, reason });
    });

    it("lets an administrator through to another user's desktop", async () => {
      user = { username: 'admin', isAdmin: true };
      consume.mockReturnValue('admin');
      await expect(proxy.authorize(upgrade({}), SESSION_ID)).resolves.toEqual({
        username: 'admin',
        target: { host: '127.0.0.1', port: 5921 },
      });
    });
  });
});
