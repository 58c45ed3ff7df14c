// CSRF defence, second layer (the first is the SameSite=Strict login cookie): a browser names the
// page that sent a request in `Origin`; a POST/PUT/PATCH/DELETE whose Origin is another host than
// the one it was sent to is refused. This applies to every such request, logged in or not (which
// also stops login CSRF), and in header mode too, where the proxy's own cookie is just as ambient.
// A browser that sends no Origin still names the relation in Sec-Fetch-Site: `cross-site` and
// `same-site` (a sibling subdomain) are refused too; the portal's own pages are `same-origin`.
// Requests without either header (curl, the job's readiness callback) are not affected.
// Third layer: a state-changing request with a body a plain HTML form can send (isFormPost) is
// refused, since every endpoint reads JSON, which another site cannot send without a preflight.
// WebSocket handshakes (Socket.IO, the VNC proxy) get the same Origin check whatever their method
// (isCrossSiteHandshake): the same-origin policy does not cover WebSockets.
import type { IncomingMessage } from 'node:http';

const STATE_CHANGING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The content types an HTML form (or a no-preflight fetch) may send. */
const FORM_CONTENT_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);

const isStateChanging = (req: IncomingMessage) =>
  STATE_CHANGING_METHODS.has((req.method ?? '').toUpperCase());

export function isCrossSiteRequest(req: IncomingMessage): boolean {
  return isStateChanging(req) && comesFromAnotherSite(req);
}

/**
 * A WebSocket (or Socket.IO) handshake sent by a page of another site. It is a GET, but a page
 * anywhere may open a WebSocket to us, the browser adds the user's cookie, and the page reads all
 * that comes back (cross-site WebSocket hijacking). Browsers always send Origin on WebSocket
 * handshakes, so a handshake without one is no browser's, and carries no ambient login of a user.
 */
export function isCrossSiteHandshake(req: IncomingMessage): boolean {
  return comesFromAnotherSite(req);
}

/** The request names, in Origin or Sec-Fetch-Site, a sender other than the portal's own pages. */
function comesFromAnotherSite(req: IncomingMessage): boolean {
  const fetchSite = firstValue(req.headers['sec-fetch-site'])?.toLowerCase();
  if (fetchSite === 'cross-site' || fetchSite === 'same-site') return true;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  let originUrl: URL;
  try {
    originUrl = new URL(origin); // `Origin: null` (sandboxed frames, some redirects) does not parse: refused
  } catch {
    return true;
  }
  // A reverse proxy may rewrite Host and pass the browser's in X-Forwarded-Host. A page of another
  // site cannot set that header on a request to us: custom headers need a CORS preflight we never
  // grant, and the browser's WebSocket API sets no headers at all.
  const forwardedHost = firstValue(req.headers['x-forwarded-host']);
  const hosts = [req.headers.host, forwardedHost].filter((host): host is string => !!host);
  return !hosts.some((host) => sameHost(originUrl, host));
}

/** A state-changing request whose body is of a type an HTML form can send. */
export function isFormPost(req: IncomingMessage): boolean {
  if (!isStateChanging(req)) return false;
  const type = req.headers['content-type']?.split(';', 1)[0].trim().toLowerCase();
  return type !== undefined && FORM_CONTENT_TYPES.has(type);
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
