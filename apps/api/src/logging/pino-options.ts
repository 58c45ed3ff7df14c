// How the API logs: one JSON object per line (pino), each request with an id (X-Request-Id, taken
// from the client when it is a safe short token, echoed in the response), and nothing secret:
// no request bodies, no query strings (the VNC proxy's token travels in one), only harmless
// headers, and every password/token/secret field redacted wherever it appears.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LevelWithSilent } from 'pino';
import type { Options } from 'pino-http';

export const REQUEST_ID_HEADER = 'X-Request-Id';
/** An incoming request id is kept only if it is this: short, and nothing a log reader could trip on. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** The only request headers a log line carries. */
const LOGGED_HEADERS = ['host', 'user-agent', 'content-type', 'content-length', 'x-forwarded-for'] as const;
export const REDACTED = '[redacted]';

const SECRET_FIELDS = [
  'password',
  'newPassword',
  'vncPassword',
  'token',
  'secret',
  'readinessSecret',
  'cookie',
  'authorization',
];
/** Defence in depth: the serializers below already leave these out. */
export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  // TypeORM's QueryFailedError carries the query's values (a VNC password, say) as enumerable fields.
  'err.parameters',
  'err.driverError.parameters',
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
];

export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/** The path alone: query strings may carry tokens (/api/sessions/:id/vnc?token=…). */
export function pathWithoutQuery(url: unknown): string | undefined {
  return typeof url === 'string' ? url.split('?', 1)[0] : undefined;
}

interface StandardRequest {
  id?: unknown;
  method?: string;
  url?: unknown;
  headers?: Record<string, unknown>;
  remoteAddress?: string;
}

export function serializeRequest(req: StandardRequest): Record<string, unknown> {
  const headers: Record<string, unknown> = {};
  for (const name of LOGGED_HEADERS) if (req.headers?.[name] !== undefined) headers[name] = req.headers[name];
  return {
    id: req.id,
    method: req.method,
    url: pathWithoutQuery(req.url),
    headers,
    remoteAddress: req.remoteAddress,
  };
}

export function serializeResponse(res: { statusCode?: number }): Record<string, unknown> {
  return { statusCode: res.statusCode };
}

/** Server errors are errors; everything else, client mistakes included, is an ordinary request line. */
export function requestLogLevel(_req: IncomingMessage, res: ServerResponse, error?: Error): LevelWithSilent {
  return error || res.statusCode >= 500 ? 'error' : 'info';
}

export function pinoHttpOptions(level: LevelWithSilent): Options {
  return {
    level,
    genReqId: requestId,
    customLogLevel: requestLogLevel,
    serializers: { req: serializeRequest, res: serializeResponse },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
  };
}
