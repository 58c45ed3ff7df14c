// The Socket.IO connection, behind a token so that tests hand the store a fake one.
// socket.io-client reconnects by itself after a drop (with back-off); the store only listens.
import { InjectionToken } from '@angular/core';
import type { SessionSocketEvents } from '@vizportal/session-domain';
import { io, type Socket } from 'socket.io-client';

export const SOCKET_PATH = '/api/socket.io';

/** The part of socket.io-client's Socket the store uses. */
export type SessionSocket = Pick<Socket<SessionSocketEvents>, 'on' | 'connect' | 'disconnect' | 'active'>;

export const SESSION_SOCKET_FACTORY = new InjectionToken<() => SessionSocket>('SESSION_SOCKET_FACTORY', {
  providedIn: 'root',
  // Same origin: the login cookie goes along at the handshake. WebSocket first, long-polling
  // only as a fallback for proxies that do not pass WebSockets.
  factory: () => () => io({ path: SOCKET_PATH, transports: ['websocket', 'polling'], withCredentials: true }),
});
