// A stand-in for the Socket.IO connection (SESSION_SOCKET_FACTORY) in unit tests: the test plays
// the server by calling `receive`, and the transport by `drop` / `reconnect`.
import type { SessionSocket } from '../app/shared/data-access/session-socket';

type Handler = (...args: unknown[]) => void;

export class FakeSessionSocket {
  active = true;
  connected = false;
  disconnectCalls = 0;
  connectCalls = 0;
  private readonly handlers = new Map<string, Handler[]>();

  on(event: string, handler: Handler): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }

  connect(): this {
    this.connectCalls++;
    return this;
  }

  disconnect(): this {
    this.disconnectCalls++;
    this.active = false;
    return this;
  }

  /** The server sends an event. */
  receive(event: string, ...args: unknown[]): void {
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }

  open(): void {
    this.connected = true;
    this.receive('connect');
  }

  drop(reason = 'transport close'): void {
    this.connected = false;
    this.receive('disconnect', reason);
  }

  asSocket(): SessionSocket {
    return this as unknown as SessionSocket;
  }
}
