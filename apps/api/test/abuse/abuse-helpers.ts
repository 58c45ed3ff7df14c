// Shared by the abuse suite (apps/api/test/abuse/*.int.spec.ts): raw HTTP requests (paths sent as
// written, a chosen source address), what counts as a human answer, a TCP listener that records
// every connection, and the session routes every suite tries.
import { request as httpRequest } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import WebSocket from 'ws';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface RawRequest {
  method: string;
  /** Sent exactly as given: no normalisation of `..` or percent-escapes, unlike fetch. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The source address of the TCP connection (any 127.x.y.z works on Linux loopback). */
  localAddress?: string;
}

export function rawRequest(baseUrl: string, options: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: hostname,
        port,
        method: options.method,
        path: options.path,
        // Node's client sends a DELETE body with no length at all, which the server cannot frame.
        headers: {
          ...(options.body === undefined
            ? {}
            : { 'content-length': String(Buffer.byteLength(options.body)) }),
          ...options.headers,
        },
        localAddress: options.localAddress,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * The problem with an error answer, or null when it is fine: a JSON body whose `message` is a
 * sentence (or a list of them) a person can read, not empty and not a bare "Internal server error".
 */
export function problemWithErrorBody(text: string): string | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `not JSON: ${text.slice(0, 80)}`;
  }
  const message = (body as { message?: unknown } | null)?.message;
  const sentences = Array.isArray(message) ? message : [message];
  if (sentences.length === 0) return 'an empty message list';
  for (const sentence of sentences) {
    if (typeof sentence !== 'string' || !/[A-Za-z]{2,}/.test(sentence))
      return `message is not text: ${JSON.stringify(message)}`;
    if (/internal server error/i.test(sentence)) return `message is a server fault: ${sentence}`;
  }
  return null;
}

/** A TCP listener on 127.0.0.1 that counts the connections it gets (and closes them). */
export class ConnectionRecorder {
  connections = 0;
  private readonly server: Server = createServer((socket) => {
    this.connections++;
    socket.destroy();
  });

  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The routes of SessionsController that take a session id. */
export const SESSION_ROUTES: ReadonlyArray<readonly [method: string, path: (id: string) => string]> = [
  ['GET', (id) => `/api/sessions/${id}`],
  ['GET', (id) => `/api/sessions/${id}/log`],
  ['POST', (id) => `/api/sessions/${id}/stop`],
  ['POST', (id) => `/api/sessions/${id}/relaunch`],
  ['POST', (id) => `/api/sessions/${id}/connect`],
  ['DELETE', (id) => `/api/sessions/${id}`],
];

/** Tallies statuses, e.g. { 201: 120, 400: 9870 }. */
export function countBy<T extends string | number>(values: readonly T[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
  return counts;
}

export interface UpgradeOutcome {
  /** True when the server answered 101 and the WebSocket opened. */
  opened: boolean;
  /** The HTTP status of a refusal, when there was one. */
  status?: number;
  error?: string;
}

/** One WebSocket upgrade attempt (to the VNC proxy), closed again at once if it opens. */
export function tryUpgrade(
  url: string,
  headers: Record<string, string> = {},
  localAddress?: string,
): Promise<UpgradeOutcome> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers, handshakeTimeout: 5_000, localAddress });
    socket.on('open', () => {
      socket.terminate();
      resolve({ opened: true });
    });
    socket.on('unexpected-response', (_request, response) => {
      resolve({ opened: false, status: response.statusCode });
      response.destroy();
    });
    socket.on('error', (error) => resolve({ opened: false, error: error.message }));
  });
}
