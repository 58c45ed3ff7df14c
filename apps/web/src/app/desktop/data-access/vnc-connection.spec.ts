import { HttpErrorResponse } from '@angular/common/http';
import MockRFB from '../../../testing/novnc.mock';
import type { ConnectGrant } from '../../shared/data-access/sessions-api.service';
import { MAX_RECONNECT_ATTEMPTS, VncConnection, vncWebSocketUrl } from './vnc-connection';

describe('VncConnection', () => {
  let target: HTMLElement;
  let grants: number;
  let running: boolean;
  let grant: jest.Mock<Promise<ConnectGrant>>;

  const latest = () => MockRFB.instances[MockRFB.instances.length - 1];

  function connection(): VncConnection {
    return new VncConnection({ target: () => target, grant, shouldReconnect: () => running });
  }

  beforeEach(() => {
    MockRFB.instances = [];
    target = document.createElement('div');
    grants = 0;
    running = true;
    grant = jest.fn(async () => {
      grants++;
      return {
        path: `/api/sessions/s1/vnc?token=t${grants}`,
        token: `t${grants}`,
        expiresAt: '',
        password: `pw${grants}`,
      };
    });
  });

  afterEach(() => jest.useRealTimers());

  it('builds the WebSocket URL on the page origin', () => {
    expect(vncWebSocketUrl('/api/sessions/s1/vnc?token=t', 'https://portal.example.org')).toBe(
      'wss://portal.example.org/api/sessions/s1/vnc?token=t',
    );
    expect(vncWebSocketUrl('/x', 'http://localhost:4200')).toBe('ws://localhost:4200/x');
  });

  it('connects through the proxy with the token and the VNC password from /connect', async () => {
    const vnc = connection();
    vnc.apply({ viewMode: 'fit', quality: 'low' });
    await vnc.open();
    const rfb = latest();
    expect(rfb.url).toBe(`${location.origin.replace(/^http/, 'ws')}/api/sessions/s1/vnc?token=t1`);
    expect(rfb.options?.credentials).toEqual({ password: 'pw1' });
    expect(rfb.scaleViewport).toBe(true);
    expect(rfb.resizeSession).toBe(false);
    expect(rfb.qualityLevel).toBe(2);
    expect(rfb.compressionLevel).toBe(8);
    expect(vnc.status()).toBe('connecting');
    rfb.fire('connect');
    expect(vnc.status()).toBe('connected');
  });

  it('reconnects with a fresh token when the link drops while the session runs', async () => {
    jest.useFakeTimers();
    const vnc = connection();
    await vnc.open();
    latest().fire('connect');
    latest().fire('disconnect', { clean: false });
    expect(vnc.status()).toBe('reconnecting');
    await jest.advanceTimersByTimeAsync(600);
    expect(grant).toHaveBeenCalledTimes(2);
    expect(latest().url).toContain('token=t2');
    latest().fire('connect');
    expect(vnc.status()).toBe('connected');
    expect(vnc.attempts()).toBe(0);
    vnc.close();
  });

  it('does not reconnect once the session has ended', async () => {
    const vnc = connection();
    await vnc.open();
    latest().fire('connect');
    running = false;
    latest().fire('disconnect', { clean: true });
    expect(vnc.status()).toBe('closed');
    expect(grant).toHaveBeenCalledTimes(1);
  });

  it('gives up after a few failed attempts, and tries again on request', async () => {
    jest.useFakeTimers();
    grant.mockRejectedValue(
      new HttpErrorResponse({ status: 409, error: { message: 'The desktop is not running' } }),
    );
    const vnc = connection();
    await vnc.open();
    await jest.advanceTimersByTimeAsync(120_000);
    expect(grant).toHaveBeenCalledTimes(MAX_RECONNECT_ATTEMPTS + 1);
    expect(vnc.status()).toBe('failed');
    expect(vnc.error()).toContain('The desktop is not running');

    grant.mockClear();
    grant.mockResolvedValue({
      path: '/api/sessions/s1/vnc?token=again',
      token: 'again',
      expiresAt: '',
      password: 'pw',
    });
    vnc.retry();
    await jest.advanceTimersByTimeAsync(0);
    expect(grant).toHaveBeenCalledTimes(1);
    expect(latest().url).toContain('token=again');
  });

  it('does not retry a refused VNC login (each failure counts against the server)', async () => {
    const vnc = connection();
    await vnc.open();
    latest().fire('securityfailure', { status: 1, reason: 'Authentication failure' });
    latest().fire('disconnect', { clean: false });
    expect(vnc.status()).toBe('failed');
    expect(vnc.error()).toContain('Authentication failure');
    expect(grant).toHaveBeenCalledTimes(1);
  });

  it('passes the clipboard both ways, and Ctrl-Alt-Del', async () => {
    const vnc = connection();
    await vnc.open();
    const rfb = latest();
    rfb.fire('connect');
    rfb.fire('clipboard', { text: 'from the desktop' });
    expect(vnc.remoteClipboard()).toBe('from the desktop');
    vnc.sendClipboard('to the desktop');
    expect(rfb.pasted).toEqual(['to the desktop']);
    vnc.sendCtrlAltDel();
    expect(rfb.ctrlAltDelCount).toBe(1);
  });

  it('switches to remote resizing', async () => {
    const vnc = connection();
    await vnc.open();
    vnc.apply({ viewMode: 'remote', quality: 'best' });
    expect(latest().resizeSession).toBe(true);
    expect(latest().scaleViewport).toBe(false);
    expect(latest().qualityLevel).toBe(9);
  });

  it('closes for good', async () => {
    const vnc = connection();
    await vnc.open();
    const rfb = latest();
    vnc.close();
    expect(rfb.disconnected).toBe(true);
    expect(vnc.status()).toBe('closed');
  });
});
