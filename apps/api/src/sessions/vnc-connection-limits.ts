// How many VNC proxy connections may be open at once: VNC_MAX_CONNECTIONS_PER_SESSION to one session
// and VNC_MAX_CONNECTIONS_PER_USER of one user across sessions, so that no user can make the API hold
// sockets and bridge buffers without end. The proxy takes a slot for each connection it bridges
// and frees it when the connection has closed; POST /connect asks first, because that answer is
// one the browser can read and show, where a refused WebSocket upgrade reaches a page only as
// "the connection failed". Counted in this process's memory, as the connect tokens are: with
// several API instances, the limits hold per instance.
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config';

/** A limit that is reached: `reason` for the log, `message` for the person at the browser. */
export interface VncLimitReached {
  reason: string;
  message: string;
}

@Injectable()
export class VncConnectionLimits {
  readonly max: { perSession: number; perUser: number };
  private readonly perSession = new Map<string, number>();
  private readonly perUser = new Map<string, number>();

  constructor(config: ConfigService<AppConfig, true>) {
    this.max = {
      perSession: config.get('VNC_MAX_CONNECTIONS_PER_SESSION', { infer: true }),
      perUser: config.get('VNC_MAX_CONNECTIONS_PER_USER', { infer: true }),
    };
  }

  /** Why `username` may not open another connection to the session now, or null when they may. */
  refuse(sessionId: string, username: string): VncLimitReached | null {
    const toSession = this.perSession.get(sessionId) ?? 0;
    if (toSession >= this.max.perSession)
      return {
        reason: `${toSession} connections to this session are open, VNC_MAX_CONNECTIONS_PER_SESSION is ${this.max.perSession}`,
        message: `This desktop is already open in ${toSession} windows or tabs, the most at once: close one of them to open it here.`,
      };
    const ofUser = this.perUser.get(username) ?? 0;
    if (ofUser >= this.max.perUser)
      return {
        reason: `${username} has ${ofUser} connections open, VNC_MAX_CONNECTIONS_PER_USER is ${this.max.perUser}`,
        message: `You already have ${ofUser} desktop windows or tabs open, the most at once: close one of them to open this one.`,
      };
    return null;
  }

  /** Counts a connection, whatever the limits say (ask refuse() first); the function returned frees its slot, once. */
  take(sessionId: string, username: string): () => void {
    add(this.perSession, sessionId, 1);
    add(this.perUser, username, 1);
    let taken = true;
    return () => {
      if (!taken) return;
      taken = false;
      add(this.perSession, sessionId, -1);
      add(this.perUser, username, -1);
    };
  }
}

/** Adds to a count, forgetting it at zero, so that the maps hold only what is open. */
function add(counts: Map<string, number>, key: string, delta: number): void {
  const count = (counts.get(key) ?? 0) + delta;
  if (count > 0) counts.set(key, count);
  else counts.delete(key);
}
