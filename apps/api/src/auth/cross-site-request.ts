// CSRF defence, second layer (the first is the SameSite=Strict login cookie): a browser names the
// page that sent a request in `Origin`; a POST/PUT/PATCH/DELETE whose Origin is another host than
// the one it was sent to is refused. This applies to every such request, logged in or not (which
// also stops login CSRF), and in header mode too, where the proxy's own cookie is just as ambient.
// Requests without Origin (curl, the job's readiness callback) are not affected.
import type { IncomingMessage } from 'node:http';

const STATE_CHANGING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isCrossSiteRequest(req: IncomingMessage): boolean {
  if (!STATE_CHANGING_METHODS.has((req.method ?? '').toUpperCase())) return false;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  let originUrl: URL;
  try {
    originUrl = new URL(origin); // `Origin: null` (sandboxed frames, some redirects) does not parse: refused
  } catch {
    return true;
  }
  // A reverse proxy may rewrite Host and pass the browser's in X-Forwarded-Host. A page of another
  // site cannot set that header on a request to us: custom headers need a CORS preflight we never grant.
  const forwardedHost = firstValue(req.headers['x-forwarded-host']);
  const hosts = [req.headers.host, forwardedHost].filter((host): host is string => !!host);
  return !hosts.some((host) => sameHost(originUrl, host));
}

function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.split(',')[0].trim();
}

/** Compares as URLs, so `example.org:443` matches `https://example.org`. */
function sameHost(origin: URL, host: string): boolean {
  try {
    return new URL(`${origin.protocol}//${host}`).host === origin.host;
  } catch {
    return false;
  }
}
