// The user's sessions, live: one GET /api/sessions (every live session and the most recent ended
// ones), then Socket.IO keeps the list current ('session.updated', 'session.removed'); nothing is
// polled. Older ended sessions come a page at a time, when asked for (loadOlder). After the socket
// reconnects, the first page is read once more, since events sent while it was away are lost. Also
// holds whether the socket is connected, whether the portal can reach Slurm ('scheduler.status'), and
// who has each desktop open through the portal's VNC proxy ('session.viewers').
import { Injectable, computed, inject, signal } from '@angular/core';
import {
  SCHEDULER_STATUS_EVENT,
  SESSION_REMOVED_EVENT,
  SESSION_UPDATED_EVENT,
  SESSION_VIEWERS_EVENT,
  isLive,
  type SchedulerStatusDto,
  type SessionDto,
  type VncViewerDto,
} from '@vizportal/session-domain';
import { Subject } from 'rxjs';
import { AuthStore } from './auth.store';
import { toApiProblem } from './api-error';
import { SESSION_SOCKET_FACTORY, type SessionSocket } from './session-socket';
import { SessionsApi } from './sessions-api.service';
import { appendOlder, mergeSnapshot, removeSession, upsertSession } from './session-list';

/** offline: not started (logged out); connecting: first handshake; reconnecting: lost, retrying. */
export type SocketState = 'offline' | 'connecting' | 'connected' | 'reconnecting';

export interface SessionChange {
  previous: SessionDto | undefined;
  current: SessionDto;
}

@Injectable({ providedIn: 'root' })
export class SessionStore {
  private readonly api = inject(SessionsApi);
  private readonly auth = inject(AuthStore);
  private readonly createSocket = inject(SESSION_SOCKET_FACTORY);

  private readonly list = signal<SessionDto[]>([]);
  readonly sessions = this.list.asReadonly();
  readonly loaded = signal(false);
  readonly loadError = signal<string | null>(null);
  readonly socketState = signal<SocketState>('offline');
  readonly scheduler = signal<SchedulerStatusDto | null>(null);
  /** Who has each session's desktop open now, by session id; sessions nobody views are absent. */
  private readonly viewersById = signal<ReadonlyMap<string, VncViewerDto[]>>(new Map());
  readonly viewers = this.viewersById.asReadonly();
  readonly liveCount = computed(() => this.list().filter((session) => isLive(session.state)).length);
  /** Where the next, older page of ended sessions starts (GET /api/sessions?before=); null: none left. */
  private readonly olderBefore = signal<string | null>(null);
  readonly hasOlder = computed(() => this.olderBefore() !== null);
  readonly loadingOlder = signal(false);
  /** Every change of a known session, for notifications. */
  readonly changes = new Subject<SessionChange>();

  private socket: SessionSocket | null = null;
  private everConnected = false;
  // Ids changed while a list request is under way (see mergeSnapshot).
  private inFlight: { updated: Set<string>; removed: Set<string> } | null = null;
  // Whether older pages were read: a fresh first page then leaves them, and their cursor, alone.
  private olderPagesRead = false;

  /** Opens the socket and reads the list; idempotent. Called once the user is known. */
  start(): void {
    if (this.socket) return;
    this.socketState.set('connecting');
    this.everConnected = false;
    const socket = this.createSocket();
    this.socket = socket;
    socket.on('connect', () => {
      // The server sends the viewers of every viewed session after each connect; what was known
      // before may have ended meanwhile.
      this.viewersById.set(new Map());
      // The first connect follows the initial read; a later one follows a drop: read again once.
      if (this.everConnected) void this.refresh();
      this.everConnected = true;
      this.socketState.set('connected');
    });
    socket.on('disconnect', (reason) => {
      if (this.socket !== socket) return;
      this.socketState.set('reconnecting');
      // The server closed it (e.g. restart): socket.io does not retry that on its own.
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('connect_error', (error) => {
      if (this.socket !== socket) return;
      this.socketState.set(this.everConnected ? 'reconnecting' : 'connecting');
      // socket.io retries network failures itself (socket.active); a refusal by the server's
      // middleware it does not. 'Log in first': the login is gone, and the shell goes to /login.
      if (!socket.active) {
        if (error.message === 'Log in first') this.auth.expire();
        else setTimeout(() => this.socket === socket && socket.connect(), 5000);
      }
    });
    socket.on(SESSION_UPDATED_EVENT, (session) => this.apply(session));
    socket.on(SESSION_REMOVED_EVENT, ({ id }) => this.forget(id));
    socket.on(SCHEDULER_STATUS_EVENT, (status) => this.scheduler.set(status));
    socket.on(SESSION_VIEWERS_EVENT, ({ id, viewers }) =>
      this.viewersById.update((known) => {
        const next = new Map(known);
        if (viewers.length > 0) next.set(id, viewers);
        else next.delete(id);
        return next;
      }),
    );
    void this.refresh();
  }

  /** Closes the socket and forgets everything: the user logged out. */
  stop(): void {
    const socket = this.socket;
    this.socket = null;
    socket?.disconnect();
    this.list.set([]);
    this.olderBefore.set(null);
    this.olderPagesRead = false;
    this.loadingOlder.set(false);
    this.loaded.set(false);
    this.loadError.set(null);
    this.scheduler.set(null);
    this.viewersById.set(new Map());
    this.socketState.set('offline');
  }

  session(id: string): SessionDto | undefined {
    return this.list().find((session) => session.id === id);
  }

  /** Applies a session from the socket or from a REST answer (launch, stop, relaunch). */
  apply(session: SessionDto): void {
    const previous = this.session(session.id);
    const next = upsertSession(this.list(), session);
    if (next === this.list()) return;
    this.inFlight?.updated.add(session.id);
    this.list.set(next);
    this.changes.next({ previous, current: session });
  }

  forget(id: string): void {
    this.inFlight?.removed.add(id);
    this.list.set(removeSession(this.list(), id));
  }

  async refresh(): Promise<void> {
    const changes = { updated: new Set<string>(), removed: new Set<string>() };
    this.inFlight = changes;
    try {
      const page = await this.api.list();
      const before = new Map(this.list().map((session) => [session.id, session]));
      const hasOlder = page.nextBefore !== null;
      this.list.set(mergeSnapshot(this.list(), page.sessions, changes, hasOlder));
      if (!hasOlder || !this.olderPagesRead) {
        this.olderBefore.set(page.nextBefore);
        this.olderPagesRead = false;
      }
      this.loadError.set(null);
      // Changes missed while the socket was away still deserve their notifications.
      if (this.loaded()) {
        for (const current of this.list()) {
          const previous = before.get(current.id);
          if (previous && previous.updatedAt !== current.updatedAt) this.changes.next({ previous, current });
        }
      }
      this.loaded.set(true);
    } catch (error) {
      this.loadError.set(toApiProblem(error).message);
    } finally {
      if (this.inFlight === changes) this.inFlight = null;
    }
  }

  /** "Show older sessions": the next page of ended sessions goes below the list. */
  async loadOlder(): Promise<void> {
    const before = this.olderBefore();
    if (before === null || this.loadingOlder()) return;
    this.loadingOlder.set(true);
    try {
      const page = await this.api.list(before);
      // A logout, or a fresh first page that found nothing older, meanwhile: this page is moot.
      if (this.olderBefore() !== before) return;
      this.list.set(appendOlder(this.list(), page.sessions));
      this.olderBefore.set(page.nextBefore);
      this.olderPagesRead = true;
    } finally {
      this.loadingOlder.set(false);
    }
  }

  // The REST actions answer with the new state; applying it at once makes the UI snappy, and the
  // socket's copy of the same change is then a no-op.

  async launch(appId: string, values: Record<string, string | number | boolean>): Promise<SessionDto> {
    const session = await this.api.launch(appId, values);
    this.apply(session);
    return session;
  }

  async stopSession(id: string): Promise<void> {
    this.apply(await this.api.stop(id));
  }

  async relaunch(id: string): Promise<SessionDto> {
    const session = await this.api.relaunch(id);
    this.apply(session);
    return session;
  }

  async extend(id: string, minutes: number): Promise<SessionDto> {
    const session = await this.api.extend(id, minutes);
    this.apply(session);
    return session;
  }

  async keep(id: string): Promise<SessionDto> {
    const session = await this.api.keep(id);
    this.apply(session);
    return session;
  }

  async remove(id: string): Promise<void> {
    await this.api.remove(id);
    this.forget(id);
  }
}
