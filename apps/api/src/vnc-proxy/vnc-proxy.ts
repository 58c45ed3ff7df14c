// The authenticated WebSocket-to-VNC bridge: WS /api/sessions/:id/vnc?token=… → TCP to the session's
// Xvnc. It dials only a running session's reported port, on the address Slurm itself gives for the
// job's node (never a host named by the job or the browser), for the session's owner, with a
// single-use token from POST /api/sessions/:id/connect, while the session and the user have fewer
// connections open than VncConnections allows. Every refusal is logged with its reason.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import { WebSocketServer, type WebSocket } from 'ws';
import { AuditService } from '../audit/audit.service';
import { AuthService } from '../auth/auth.service';
import { isCrossSiteHandshake } from '../auth/cross-site-request';
import { ClusterService } from '../cluster/cluster.service';
import type { AppConfig } from '../config/app-config';
import { VizportalMetrics } from '../metrics/vizportal-metrics';
import { SessionRepository } from '../sessions/session.repository';
import { ConnectTokenService } from '../sessions/connect-token.service';
import { type VncConnection, VncConnections } from '../sessions/vnc-connections';
import { VncEndpointPolicy } from '../sessions/vnc-endpoint-policy';
import { bridgeVnc } from './vnc-bridge';

const VNC_PATH = /^\/api\/sessions\/([A-Za-z0-9-]{1,64})\/vnc$/;

/**
 * Why an upgrade was refused: the HTTP status the client gets and the line the log gets, and who
 * asked once that is known (the audit log's actor).
 */
class Refusal {
  constructor(
    readonly status: 401 | 403 | 404 | 409 | 429 | 502,
    readonly reason: string,
    readonly username: string | null = null,
  ) {}
}

/** An upgrade that may go ahead: the desktop to bridge to, and the connection to record. */
export interface AuthorizedUpgrade {
  target: VncTarget;
  connection: VncConnection;
}

export interface VncTarget {
  host: string;
  port: number;
}

@Injectable()
export class VncProxy implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(VncProxy.name);
  private readonly wss: WebSocketServer;
  private readonly maxMessageBytes: number;
  private open = 0;
  private readonly heartbeatMs: number;
  private heartbeat: NodeJS.Timeout | undefined;
  /** Connections that answered the last ping (or opened since it). */
  private readonly answered = new WeakSet<WebSocket>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly tokens: ConnectTokenService,
    private readonly sessions: SessionRepository,
    private readonly cluster: ClusterService,
    private readonly policy: VncEndpointPolicy,
    private readonly connections: VncConnections,
    config: ConfigService<AppConfig, true>,
    // Absent only in unit tests that build the proxy by hand.
    @Optional() private readonly metrics?: VizportalMetrics,
  ) {
    this.maxMessageBytes = config.get('VNC_MAX_MESSAGE_BYTES', { infer: true });
    this.heartbeatMs = config.get('VNC_HEARTBEAT_SECONDS', { infer: true }) * 1000;
    this.wss = new WebSocketServer({
      noServer: true,
      // No subprotocol is answered unless the client offered it: browsers reject any other answer,
      // and noVNC offers none.
      handleProtocols: (offered) => (offered.has('binary') ? 'binary' : false),
      // A browser's message above this closes its connection with 1009 before any of it is passed
      // on (ws buffers a message whole, so this is also what one connection can make us hold).
      maxPayload: this.maxMessageBytes,
    });
  }

  get openConnections(): number {
    return this.open;
  }

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer();
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const match = VNC_PATH.exec(new URL(request.url ?? '/', 'http://portal').pathname);
      if (match) void this.handleUpgrade(request, socket, head, match[1]);
    });
    this.heartbeat = setInterval(() => this.pingAll(), this.heartbeatMs);
    this.heartbeat.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.heartbeat);
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }

  /** Decides where an upgrade may go; throws a Refusal otherwise. Public for tests. */
  async authorize(request: IncomingMessage, sessionId: string): Promise<AuthorizedUpgrade> {
    // First, so that a page of another site cannot even use up a token it got hold of.
    if (isCrossSiteHandshake(request))
      throw new Refusal(403, 'cross-site handshake (Origin is not this portal)');
    const token = new URL(request.url ?? '/', 'http://portal').searchParams.get('token');
    if (!token) throw new Refusal(401, 'no token');
    const user = await this.auth.authenticateRequest(request);
    if (!user) throw new Refusal(401, 'not logged in');
    const refuse = (status: Refusal['status'], reason: string) => new Refusal(status, reason, user.username);
    const tokenUser = this.tokens.consume(token, sessionId);
    if (!tokenUser) throw refuse(403, 'token unknown, used, expired or for another session');
    if (tokenUser !== user.username) throw refuse(403, `token of ${tokenUser} presented by ${user.username}`);
    const session = await this.sessions.findById(sessionId);
    if (!session || (session.owner !== user.username && !user.isAdmin))
      throw refuse(404, 'no such session of this user');
    if (session.state !== 'running' || !session.endpoint || !session.node)
      throw refuse(409, `session is ${session.state}`);
    const host = await this.cluster.nodeAddress(session.node);
    if (!host) throw refuse(502, `Slurm gives no address for node ${session.node}`);
    const { port } = session.endpoint;
    const refusal = this.policy.refuseHost(host) ?? this.policy.refusePort(port);
    if (refusal) throw refuse(403, refusal);
    return {
      target: { host, port },
      connection: { sessionId, owner: session.owner, username: user.username },
    };
  }

  private async handleUpgrade(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    sessionId: string,
  ): Promise<void> {
    let upgrade: AuthorizedUpgrade;
    try {
      upgrade = await this.authorize(request, sessionId);
      // Counted here, after every other check (only an authorized user learns the counts), and
      // with nothing asynchronous between this and bridge() taking the slot (ws calls back at once
      // when it has no verifyClient), so two upgrades cannot both pass for the last slot.
      const { username } = upgrade.connection;
      const limit = this.connections.refuse(sessionId, username);
      if (limit) throw new Refusal(429, limit.reason, username);
    } catch (error) {
      const refusal =
        error instanceof Refusal
          ? error
          : new Refusal(502, error instanceof Error ? error.message : String(error));
      this.logger.warn(
        `VNC proxy refused session ${sessionId} from ${request.socket.remoteAddress}: ${refusal.reason}`,
      );
      this.metrics?.vncRefusals.inc({ status: String(refusal.status) });
      void this.audit.record({
        actor: refusal.username ?? 'anonymous',
        action: 'vnc.open',
        outcome: refusal.status === 502 ? 'failed' : 'refused',
        address: this.auth.clientAddress(request),
        sessionId,
        details: { status: refusal.status, reason: refusal.reason },
      });
      socket.end(
        `HTTP/1.1 ${refusal.status} ${refusal.reason.replace(/[^\x20-\x7e]/g, '?')}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
      return;
    }
    const address = this.auth.clientAddress(request);
    this.wss.handleUpgrade(request, socket, head, (ws) => this.bridge(ws, upgrade, address));
  }

  /**
   * Drops each connection that did not answer the previous ping, and pings the others. terminate(),
   * not close(): a browser that is gone would never answer a closing handshake either.
   */
  private pingAll(): void {
    for (const client of this.wss.clients) {
      if (!this.answered.has(client)) {
        this.logger.warn('VNC proxy dropped a connection that did not answer its ping');
        client.terminate();
        continue;
      }
      this.answered.delete(client);
      client.ping();
    }
  }

  /** Bridges the WebSocket to the desktop (vnc-bridge.ts); counted open until both sides have closed. */
  private bridge(ws: WebSocket, { target, connection }: AuthorizedUpgrade, address: string | null): void {
    const { sessionId, username } = connection;
    this.open++;
    const openedAt = Date.now();
    const bytes = { toBrowser: 0, toDesktop: 0 };
    void this.audit.record({
      actor: username,
      action: 'vnc.open',
      address,
      sessionId,
      details: { node: target.host },
    });
    this.answered.add(ws);
    ws.on('pong', () => this.answered.add(ws));
    const freeSlot = this.connections.take(connection);
    this.metrics?.vncConnections.inc();
    this.metrics?.vncConnectionsOpen.inc();
    bridgeVnc(ws, target, {
      onBytes: (direction, count) => {
        this.metrics?.vncBytes.inc({ direction }, count);
        if (direction === 'to_browser') bytes.toBrowser += count;
        else bytes.toDesktop += count;
      },
      onClose: (error) => {
        this.open--;
        void this.audit.record({
          actor: username,
          action: 'vnc.close',
          address,
          sessionId,
          details: { ...bytes, seconds: Math.round((Date.now() - openedAt) / 1000) },
        });
        freeSlot();
        this.metrics?.vncConnectionsOpen.dec();
        if (isOversizedMessage(error))
          this.logger.warn(
            `VNC proxy closed ${username}'s connection to session ${sessionId}: a message over VNC_MAX_MESSAGE_BYTES (${this.maxMessageBytes})`,
          );
        else if (error) this.logger.debug(`VNC bridge of session ${sessionId} ended: ${error.message}`);
      },
    });
    this.logger.log(`VNC proxy: ${username} connected to session ${sessionId}`);
  }
}

/** ws's error for a message over maxPayload: a client that is not noVNC, or one up to no good. */
function isOversizedMessage(error: Error | undefined): boolean {
  return (error as { code?: string } | undefined)?.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
}
