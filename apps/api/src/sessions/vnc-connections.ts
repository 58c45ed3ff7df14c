// The VNC proxy's open connections: who has which session's desktop open, since when, and how many
// more may open. VNC_MAX_CONNECTIONS_PER_SESSION caps one session and VNC_MAX_CONNECTIONS_PER_USER
// one user across sessions, so that no user can make the API hold sockets and bridge buffers without
// end. The proxy takes a slot for each connection it bridges and frees it when the connection has
// closed; POST /connect asks first, because that answer is one the browser can read and show, where
// a refused WebSocket upgrade reaches a page only as "the connection failed". Each open and close is
// announced on `changes`, which the socket gateway passes on to the owner and to admins. Held in this
// process's memory, as the connect tokens are: with several API instances, each knows its own.
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { SessionViewersDto, VncViewerDto } from '@vizportal/session-domain';
import { Subject } from 'rxjs';
import type { AppConfig } from '../config/app-config';

/** A limit that is reached: `reason` for the log, `message` for the person at the browser. */
export interface VncLimitReached {
  reason: string;
  message: string;
}

/** A connection the proxy bridges: to whose session, and for whom. */
export interface VncConnection {
  sessionId: string;
  /** The session's owner, who is told who is connected. */
  owner: string;
  /** Who connected (the owner, or an admin). */
  username: string;
}

/** A session whose viewers changed, and the owner to tell. */
export interface VncViewersChange {
  sessionId: string;
  owner: string;
}

interface OpenSession {
  owner: string;
  viewers: { username: string; openedAt: Date }[];
}

@Injectable()
export class VncConnections {
  readonly max: { perSession: number; perUser: number };
  private readonly sessions = new Map<string, OpenSession>();
  private readonly perUser = new Map<string, number>();
  private readonly changed = new Subject<VncViewersChange>();
  readonly changes = this.changed.asObservable();

  constructor(config: ConfigService<AppConfig, true>) {
    this.max = {
      perSession: config.get('VNC_MAX_CONNECTIONS_PER_SESSION', { infer: true }),
      perUser: config.get('VNC_MAX_CONNECTIONS_PER_USER', { infer: true }),
    };
  }

  /** Why `username` may not open another connection to the session now, or null when they may. */
  refuse(sessionId: string, username: string): VncLimitReached | null {
    const toSession = this.sessions.get(sessionId)?.viewers.length ?? 0;
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

  /** Records a connection, whatever the limits say (ask refuse() first); the function returned ends it, once. */
  take({ sessionId, owner, username }: VncConnection, now = new Date()): () => void {
    const open = this.sessions.get(sessionId) ?? { owner, viewers: [] };
    const viewer = { username, openedAt: now };
    open.viewers.push(viewer);
    this.sessions.set(sessionId, open);
    this.perUser.set(username, (this.perUser.get(username) ?? 0) + 1);
    this.changed.next({ sessionId, owner });
    let taken = true;
    return () => {
      if (!taken) return;
      taken = false;
      open.viewers.splice(open.viewers.indexOf(viewer), 1);
      // Forgotten at zero, so that the maps hold only what is open.
      if (open.viewers.length === 0) this.sessions.delete(sessionId);
      const ofUser = (this.perUser.get(username) ?? 1) - 1;
      if (ofUser > 0) this.perUser.set(username, ofUser);
      else this.perUser.delete(username);
      this.changed.next({ sessionId, owner });
    };
  }

  /** Who has the session's desktop open, longest first. */
  viewersOf(sessionId: string): VncViewerDto[] {
    return (this.sessions.get(sessionId)?.viewers ?? []).map(({ username, openedAt }) => ({
      username,
      openedAt: openedAt.toISOString(),
    }));
  }

  /** Every session of `owner` (null: of everyone) with a viewer, and its viewers. */
  openSessions(owner: string | null): SessionViewersDto[] {
    return [...this.sessions]
      .filter(([, open]) => owner === null || open.owner === owner)
      .map(([id]) => ({ id, viewers: this.viewersOf(id) }));
  }
}
