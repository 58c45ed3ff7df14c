// GET /api/metrics on the whole API against the local cluster: a real desktop session through
// REST and the VNC proxy, then the scrape shows it in every metric family.
import type { SessionDto } from '@vizportal/session-domain';
import { type ApiTestApp, createUsers, startApiTestApp, wsUrl } from '../../test/support/api-test-app';
import { rfbHandshake, webSocketTransport } from '@vizportal/portal-harness';
import { SessionClient } from '../../test/support/session-client';
import { sampleSum } from './prometheus-text';

async function scrape(
  baseUrl: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string; text: string }> {
  const response = await fetch(`${baseUrl}/api/metrics`, { headers });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await read();
  }
  return value;
}

describe('GET /api/metrics on the local cluster', () => {
  let api: ApiTestApp;
  let alice: SessionClient;
  let desktop: SessionDto;

  beforeAll(async () => {
    api = await startApiTestApp();
    const cookies = await createUsers(api.baseUrl, ['alice']);
    alice = new SessionClient(api.baseUrl, cookies.alice);
    await alice.connectSocket();
  });

  afterAll(async () => {
    if (desktop) await alice.request('POST', `/api/sessions/${desktop.id}/stop`);
    alice.close();
    await api.close();
  });

  it('is public by default, in the Prometheus text format, with the process metrics prefixed', async () => {
    const { status, type, text } = await scrape(api.baseUrl);
    expect(status).toBe(200);
    expect(type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(sampleSum(text, 'vizportal_process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sampleSum(text, 'vizportal_nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    // Every state has a series, at zero before anything was launched.
    expect(sampleSum(text, 'vizportal_sessions', { state: 'running' })).toBe(0);
    expect(sampleSum(text, 'vizportal_sessions', { state: 'cancelled' })).toBe(0);
  });

  it('counts a desktop session: its state, the Slurm commands, the poller, the proxy and the HTTP routes', async () => {
    const before = (await scrape(api.baseUrl)).text;
    const launchesBefore =
      sampleSum(before, 'vizportal_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/sessions',
        status: '201',
      }) ?? 0;

    desktop = await alice.launch('desktop', { cpus: 1 });
    await alice.waitFor(desktop.id, (s) => s.state === 'running');
    let text = (await scrape(api.baseUrl)).text;
    expect(sampleSum(text, 'vizportal_sessions', { state: 'running' })).toBe(1);
    expect(sampleSum(text, 'vizportal_slurm_command_duration_seconds_count', { command: 'sbatch' })).toBe(1);
    expect(
      sampleSum(text, 'vizportal_slurm_command_duration_seconds_count', { command: 'squeue' }),
    ).toBeGreaterThan(0);
    expect(
      sampleSum(text, 'vizportal_slurm_command_duration_seconds_sum', { command: 'squeue' }),
    ).toBeGreaterThan(0);
    expect(sampleSum(text, 'vizportal_poller_tick_duration_seconds_count')).toBeGreaterThan(0);
    expect(
      sampleSum(text, 'vizportal_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/sessions',
        status: '201',
      }),
    ).toBe(launchesBefore + 1);

    // A VNC connection through the proxy, then the same token again (refused, 403).
    const grant = await (await alice.request('POST', `/api/sessions/${desktop.id}/connect`)).json();
    const transport = await webSocketTransport(wsUrl(api.baseUrl, grant.path), { cookie: alice.cookie });
    try {
      expect((await rfbHandshake(transport, grant.password)).width).toBeGreaterThan(0);
      text = (await scrape(api.baseUrl)).text;
      expect(sampleSum(text, 'vizportal_vnc_proxy_connections_open')).toBe(1);
    } finally {
      transport.close();
    }
    await expect(
      webSocketTransport(wsUrl(api.baseUrl, grant.path), { cookie: alice.cookie }),
    ).rejects.toThrow(/403/);

    text = (
      await eventually(
        () => scrape(api.baseUrl),
        ({ text: t }) => sampleSum(t, 'vizportal_vnc_proxy_connections_open') === 0,
      )
    ).text;
    expect(sampleSum(text, 'vizportal_vnc_proxy_connections_open')).toBe(0);
    expect(sampleSum(text, 'vizportal_vnc_proxy_connections_total')).toBe(1);
    expect(sampleSum(text, 'vizportal_vnc_proxy_refusals_total', { status: '403' })).toBe(1);
    // The RFB handshake: the server's version, security types and ServerInit one way; the client's answers the other.
    expect(sampleSum(text, 'vizportal_vnc_proxy_bytes_total', { direction: 'to_browser' })).toBeGreaterThan(
      24,
    );
    expect(sampleSum(text, 'vizportal_vnc_proxy_bytes_total', { direction: 'to_vnc' })).toBeGreaterThan(12);
    // The route template, never the session id.
    expect(
      sampleSum(text, 'vizportal_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/sessions/:id/connect',
        status: '200',
      }),
    ).toBe(1);
    expect(text).not.toContain(desktop.id);

    expect((await alice.request('POST', `/api/sessions/${desktop.id}/stop`)).status).toBe(200);
    text = (await scrape(api.baseUrl)).text;
    expect(sampleSum(text, 'vizportal_sessions', { state: 'running' })).toBe(0);
    expect(sampleSum(text, 'vizportal_sessions', { state: 'cancelled' })).toBe(1);
    expect(sampleSum(text, 'vizportal_slurm_command_duration_seconds_count', { command: 'scancel' })).toBe(1);
  });

  it('labels requests that match no route as one series', async () => {
    await fetch(`${api.baseUrl}/api/no-such-thing/${'x'.repeat(20)}`);
    const { text } = await scrape(api.baseUrl);
    expect(
      sampleSum(text, 'vizportal_http_request_duration_seconds_count', { route: 'unmatched', status: '404' }),
    ).toBeGreaterThan(0);
    expect(text).not.toContain('x'.repeat(20));
  });
});
