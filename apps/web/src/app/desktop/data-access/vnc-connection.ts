// One desktop's VNC connection: noVNC's RFB over the portal's WebSocket proxy, with a fresh
// single-use token from POST /connect for every attempt, and automatic reconnection (with
// back-off) while the session still runs. This file is the only importer of noVNC, and only the
// lazy desktop route imports it, so noVNC stays out of the initial bundle.
import { signal } from '@angular/core';
import RFB from '@novnc/novnc';
import { toApiProblem } from '../../shared/data-access/api-error';
import type { ConnectGrant } from '../../shared/data-access/sessions-api.service';
import { QUALITY_PRESETS, type DesktopPreferences } from './desktop-preferences';

export type VncStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';

export interface VncConnectionOptions {
  /** The element noVNC draws into; read when connecting. */
  target: () => HTMLElement;
  /** A fresh grant (token + password) per attempt: tokens are single-use and short-lived. */
  grant: () => Promise<ConnectGrant>;
  /** Whether a dropped connection is worth retrying: the session still runs. */
  shouldReconnect: () => boolean;
}

export const MAX_RECONNECT_ATTEMPTS = 8;
const MAX_BACKOFF_MS = 8000;

/** ws(s)://<this origin><path>: the proxy lives on the portal's own origin. */
export function vncWebSocketUrl(path: string, origin = location.origin): string {
  return `${origin.replace(/^http/, 'ws')}${path}`;
}

export class VncConnection {
  readonly status = signal<VncStatus>('idle');
  readonly error = signal<string | null>(null);
  /** What the desktop last put on its clipboard. */
  readonly remoteClipboard = signal('');
  readonly desktopName = signal('');
  readonly attempts = signal(0);

  private rfb: RFB | null = null;
  private closing = false;
  private opening = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private preferences: DesktopPreferences | null = null;

  constructor(private readonly options: VncConnectionOptions) {}

  /** The canvas noVNC draws on, once connected. */
  get canvas(): HTMLCanvasElement | null {
    return this.options.target().querySelector('canvas');
  }

  async open(): Promise<void> {
    if (this.rfb || this.opening) return;
    this.clearRetry();
    this.closing = false;
    this.status.set(this.attempts() > 0 ? 'reconnecting' : 'connecting');
    let grant: ConnectGrant;
    this.opening = true;
    try {
      grant = await this.options.grant();
    } catch (error) {
      const problem = toApiProblem(error);
      if (this.closing) return;
      if (problem.status === 404 || problem.status === 401) return this.fail(problem.message);
      return this.retryLater(problem.message);
    } finally {
      this.opening = false;
    }
    if (this.closing) return;
    const rfb = new RFB(this.options.target(), vncWebSocketUrl(grant.path), {
      credentials: { password: grant.password },
      shared: true,
    });
    this.rfb = rfb;
    rfb.background = '#1f1f23';
    rfb.focusOnClick = true;
    if (this.preferences) this.apply(this.preferences);
    let refused: string | null = null;
    rfb.addEventListener('connect', () => {
      this.attempts.set(0);
      this.error.set(null);
      this.status.set('connected');
      rfb.focus();
    });
    rfb.addEventListener('credentialsrequired', () => {
      // The password went along with the connection; being asked again means it was not accepted.
      refused = 'The desktop asked for credentials the portal does not have.';
      rfb.disconnect();
    });
    rfb.addEventListener('securityfailure', (event) => {
      refused = `The desktop refused the connection${event.detail.reason ? `: ${event.detail.reason}` : '.'}`;
    });
    rfb.addEventListener('clipboard', (event) => this.remoteClipboard.set(event.detail.text));
    rfb.addEventListener('desktopname', (event) => this.desktopName.set(event.detail.name));
    rfb.addEventListener('disconnect', () => {
      if (this.rfb !== rfb) return;
      this.rfb = null;
      if (this.closing) return this.status.set('closed');
      // A refused login is not retried: each try counts against Xvnc's blacklist.
      if (refused) return this.fail(refused);
      if (this.options.shouldReconnect()) return this.retryLater('The connection to the desktop was lost.');
      this.status.set('closed');
    });
  }

  /** Disconnects for good (the page closes, or the session ended). */
  close(): void {
    this.closing = true;
    this.clearRetry();
    const rfb = this.rfb;
    this.rfb = null;
    rfb?.disconnect();
    this.status.set('closed');
  }

  /** Back to the start, for another session shown by the same page. */
  reset(): void {
    this.close();
    this.closing = false;
    this.attempts.set(0);
    this.error.set(null);
    this.remoteClipboard.set('');
    this.desktopName.set('');
    this.status.set('idle');
  }

  /** The user's "Try again" after a failure. */
  retry(): void {
    this.attempts.set(0);
    this.error.set(null);
    this.status.set('idle');
    void this.open();
  }

  apply(preferences: DesktopPreferences): void {
    this.preferences = preferences;
    const rfb = this.rfb;
    if (!rfb) return;
    rfb.scaleViewport = preferences.viewMode === 'fit';
    rfb.resizeSession = preferences.viewMode === 'remote';
    rfb.clipViewport = false;
    const preset = QUALITY_PRESETS[preferences.quality];
    rfb.qualityLevel = preset.qualityLevel;
    rfb.compressionLevel = preset.compressionLevel;
  }

  sendClipboard(text: string): void {
    this.rfb?.clipboardPasteFrom(text);
  }

  sendCtrlAltDel(): void {
    this.rfb?.sendCtrlAltDel();
    this.rfb?.focus();
  }

  focus(): void {
    this.rfb?.focus();
  }

  private retryLater(reason: string): void {
    const attempt = this.attempts() + 1;
    if (attempt > MAX_RECONNECT_ATTEMPTS) return this.fail(`${reason} Reconnecting did not work.`);
    this.attempts.set(attempt);
    this.error.set(reason);
    this.status.set('reconnecting');
    const delay = Math.min(500 * 2 ** (attempt - 1), MAX_BACKOFF_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.closing) void this.open();
    }, delay);
  }

  private fail(reason: string): void {
    this.error.set(reason);
    this.status.set('failed');
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
