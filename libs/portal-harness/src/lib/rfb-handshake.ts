// A minimal RFB 3.8 client handshake (RFC 6143 §7.1-7.3) over TCP or a WebSocket, down to ServerInit.
// Tests and benchmarks use it to prove a desktop really answers, with its one-time password.
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { vncAuthResponse } from './vnc-des';

export interface ServerInit {
  width: number;
  height: number;
  name: string;
}

/** Thrown when the server refuses the password (SecurityResult failed). */
export class RfbAuthError extends Error {}

/** A byte stream the handshake reads exact lengths from. */
export interface RfbTransport {
  read(length: number): Promise<Buffer>;
  write(data: Buffer): void;
  close(): void;
}

/**
 * Keeps incoming chunks so read(n) resolves once n bytes have arrived. The chunks are joined only
 * when a read needs them: a 4 MB Raw frame arrives in many reads, and joining at every push would
 * copy it over and over.
 */
class ChunkQueue {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private waiter: { length: number; resolve: (data: Buffer) => void; reject: (error: Error) => void } | null =
    null;
  private failure: Error | null = null;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    this.settle();
  }

  fail(error: Error): void {
    this.failure = error;
    this.settle();
  }

  read(length: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.waiter = { length, resolve, reject };
      this.settle();
    });
  }

  private settle(): void {
    if (!this.waiter) return;
    if (this.buffered >= this.waiter.length) {
      const { length, resolve } = this.waiter;
      this.waiter = null;
      resolve(this.take(length));
    } else if (this.failure) {
      const { reject } = this.waiter;
      this.waiter = null;
      reject(this.failure);
    }
  }

  private take(length: number): Buffer {
    const parts: Buffer[] = [];
    let needed = length;
    while (needed > 0) {
      const head = this.chunks[0];
      if (head.length <= needed) {
        parts.push(head);
        this.chunks.shift();
        needed -= head.length;
      } else {
        parts.push(head.subarray(0, needed));
        this.chunks[0] = head.subarray(needed);
        needed = 0;
      }
    }
    this.buffered -= length;
    // A copy: the caller may keep it while the socket reuses nothing of ours.
    return Buffer.concat(parts, length);
  }
}

export function tcpTransport(host: string, port: number): Promise<RfbTransport> {
  return new Promise((resolve, reject) => {
    const queue = new ChunkQueue();
    const socket: Socket = connect({ host, port }, () =>
      resolve({ read: (n) => queue.read(n), write: (d) => socket.write(d), close: () => socket.destroy() }),
    );
    socket.on('data', (chunk) => queue.push(chunk));
    socket.on('error', (error) => {
      queue.fail(error);
      reject(error);
    });
    socket.on('close', () => queue.fail(new Error('connection closed')));
  });
}

/** A WebSocket carrying raw RFB bytes in binary frames, as noVNC speaks to the portal's proxy. */
export function webSocketTransport(url: string, headers: Record<string, string> = {}): Promise<RfbTransport> {
  return new Promise((resolve, reject) => {
    const queue = new ChunkQueue();
    const socket = new WebSocket(url, { headers });
    socket.binaryType = 'nodebuffer';
    socket.on('open', () =>
      resolve({ read: (n) => queue.read(n), write: (d) => socket.send(d), close: () => socket.close() }),
    );
    socket.on('message', (data: Buffer) => queue.push(data));
    socket.on('unexpected-response', (_request, response) =>
      reject(new Error(`WebSocket refused with HTTP ${response.statusCode}`)),
    );
    socket.on('error', (error) => {
      queue.fail(error);
      reject(error);
    });
    socket.on('close', () => queue.fail(new Error('connection closed')));
  });
}

/** Runs the handshake with VNC Authentication (security type 2) and returns the ServerInit. */
export async function rfbHandshake(transport: RfbTransport, password: string): Promise<ServerInit> {
  const version = (await transport.read(12)).toString('latin1');
  if (!/^RFB \d{3}\.\d{3}\n$/.test(version)) throw new Error(`not an RFB server: ${JSON.stringify(version)}`);
  transport.write(Buffer.from('RFB 003.008\n', 'latin1'));
  const count = (await transport.read(1))[0];
  if (count === 0) {
    const length = (await transport.read(4)).readUInt32BE(0);
    throw new Error(`server refused: ${(await transport.read(length)).toString('utf8')}`);
  }
  const types = [...(await transport.read(count))];
  if (!types.includes(2)) throw new Error(`server offers no VNC Authentication (types ${types.join(',')})`);
  transport.write(Buffer.from([2]));
  const challenge = await transport.read(16);
  transport.write(vncAuthResponse(password, challenge));
  const result = (await transport.read(4)).readUInt32BE(0);
  if (result !== 0) {
    const length = (await transport.read(4)).readUInt32BE(0);
    throw new RfbAuthError(`authentication failed: ${(await transport.read(length)).toString('utf8')}`);
  }
  transport.write(Buffer.from([1])); // ClientInit: share the desktop
  const init = await transport.read(24);
  const name = await transport.read(init.readUInt32BE(20));
  return { width: init.readUInt16BE(0), height: init.readUInt16BE(2), name: name.toString('utf8') };
}
