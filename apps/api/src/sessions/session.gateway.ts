// The live channel to browsers: Socket.IO on /api/socket.io. A socket is authenticated at the
// handshake (the same cookie or proxy header as REST) and joins its owner's room only, so a
// user receives their own sessions' changes and nothing else; admins also join the admins' room.
// Besides the sessions' states it passes on who has each desktop open (VncConnections), at each
// change and, for a new socket, for every session with viewers.
// A handshake from a page of another site is refused before that (allowSameSiteOnly).
import type { IncomingMessage } from 'node:http';
import { Logger } from '@nestjs/common';
import { type OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import {
  SCHEDULER_STATUS_EVENT,
  SESSION_REMOVED_EVENT,
  SESSION_UPDATED_EVENT,
  SESSION_VIEWERS_EVENT,
  type SchedulerStatusDto,
  type Session,
  type SessionSocketEvents,
} from '@vizportal/session-domain';
import type { Server, Socket } from 'socket.io';
import { AuthService } from '../auth/auth.service';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { isCrossSiteHandshake } from '../auth/cross-site-request';
import { SchedulerStatus } from './scheduler-status';
import { VncConnections, type VncViewersChange } from './vnc-connections';
import { SessionPresenter } from './session-presenter';

export const SOCKET_PATH = '/api/socket.io';
const ADMINS_ROOM = 'admins';
const handshakeLogger = new Logger('SessionGateway');
const ownerRoom = (username: string) => `user:${username}`;

type SessionServer = Server<
  Record<string, never>,
  SessionSocketEvents,
  Record<string, never>,
  { user: AuthenticatedUser }
>;

/**
 * Engine.IO's allowRequest, run on every new connection (polling or WebSocket) before Socket.IO
 * sees it: a page of another site could otherwise open a socket with the user's cookie and read
 * their sessions (cross-site WebSocket hijacking). Engine.IO answers 403 (400 to an upgrade), with
 * nothing else checked yet.
 */
export function allowSameSiteOnly(
  req: IncomingMessage,
  answer: (error: string | null, success: boolean) => void,
): void {
  if (!isCrossSiteHandshake(req)) return answer(null, true);
  const sender = JSON.stringify({
    origin: req.headers.origin,
    secFetchSite: req.headers['sec-fetch-site'],
  }).slice(0, 300);
  handshakeLogger.warn(`socket handshake from ${req.socket.remoteAddress} refused as cross-site: ${sender}`);
  answer('Cross-site socket refused', false);
}

@WebSocketGateway({ path: SOCKET_PATH, serveClient: false, allowRequest: allowSameSiteOnly })
export class SessionGateway implements OnGatewayInit {
  private readonly logger = new Logger(SessionGateway.name);
  @WebSocketServer() private server!: SessionServer;

  constructor(
    private readonly auth: AuthService,
    private readonly scheduler: SchedulerStatus,
    private readonly connections: VncConnections,
    private readonly presenter: SessionPresenter,
  ) {}

  afterInit(server: SessionServer): void {
    server.use((socket, next) => {
      this.auth
        .authenticateRequest(socket.request)
        .then((user) => {
          if (!user) return next(new Error('Log in first'));
          socket.data.user = user;
          next();
        })
        .catch((error: unknown) => next(error instanceof Error ? error : new Error(String(error))));
    });
    server.on('connection', (socket: Socket) => this.welcome(socket));
    this.scheduler.changes.subscribe((status) => this.emitSchedulerStatus(status));
    this.connections.changes.subscribe((change) => this.emitViewers(change));
  }

  /** Sends the session, as the REST API shows it, to its owner and to admins. */
  sessionUpdated(session: Session): void {
    this.toOwner(session.owner).emit(SESSION_UPDATED_EVENT, this.presenter.dto(session));
  }

  sessionRemoved(session: Session): void {
    this.toOwner(session.owner).emit(SESSION_REMOVED_EVENT, { id: session.id });
  }

  private welcome(socket: Socket): void {
    const user = (socket.data as { user: AuthenticatedUser }).user;
    void socket.join(ownerRoom(user.username));
    if (user.isAdmin) void socket.join(ADMINS_ROOM);
    // A new socket learns the scheduler's state at once, not at its next change.
    socket.emit(SCHEDULER_STATUS_EVENT, this.scheduler.current());
    for (const viewers of this.connections.openSessions(user.isAdmin ? null : user.username))
      socket.emit(SESSION_VIEWERS_EVENT, viewers);
    this.logger.debug(`socket ${socket.id} of ${user.username} connected`);
  }

  private emitSchedulerStatus(status: SchedulerStatusDto): void {
    this.server.emit(SCHEDULER_STATUS_EVENT, status);
  }

  private emitViewers({ sessionId, owner }: VncViewersChange): void {
    this.toOwner(owner).emit(SESSION_VIEWERS_EVENT, {
      id: sessionId,
      viewers: this.connections.viewersOf(sessionId),
    });
  }

  private toOwner(owner: string) {
    return this.server.to(ownerRoom(owner)).to(ADMINS_ROOM);
  }
}
