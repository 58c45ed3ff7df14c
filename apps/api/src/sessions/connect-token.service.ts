// Short-lived, single-use tokens for the VNC WebSocket: POST /api/sessions/:id/connect issues one to
// the session's owner, and the proxy consumes it on upgrade. Kept in memory: a token outlives no
// restart by design (it lives seconds), and several API instances would route the upgrade by
// sticky session to the instance that issued it.
import { randomBytes } from 'node:crypto';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config';

interface Grant {
  sessionId: string;
  username: string;
  expiresAt: number;
}

export interface ConnectToken {
  token: string;
  expiresAt: Date;
}

@Injectable()
export class ConnectTokenService implements OnModuleDestroy {
  private readonly grants = new Map<string, Grant>();
  private readonly ttlMs: number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(config: ConfigService<AppConfig, true>) {
    this.ttlMs = config.get('VNC_CONNECT_TOKEN_TTL_SECONDS', { infer: true }) * 1000;
    this.sweeper = setInterval(() => this.sweep(Date.now()), 60_000).unref();
  }

  issue(sessionId: string, username: string, now = Date.now()): ConnectToken {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = now + this.ttlMs;
    this.grants.set(token, { sessionId, username, expiresAt });
    return { token, expiresAt: new Date(expiresAt) };
  }

  /** The username the token was issued to, once; null for an unknown, used, expired or other-session token. */
  consume(token: string, sessionId: string, now = Date.now()): string | null {
    const grant = this.grants.get(token);
    if (!grant) return null;
    this.grants.delete(token);
    if (grant.sessionId !== sessionId || grant.expiresAt < now) return null;
    return grant.username;
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  private sweep(now: number): void {
    for (const [token, grant] of this.grants) if (grant.expiresAt < now) this.grants.delete(token);
  }
}
