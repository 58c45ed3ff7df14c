// Who may read /api/metrics: anyone (the monitoring host, behind a firewall) when METRICS_TOKEN is
// empty, else only a request bearing that token.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

export function metricsAccessAllowed(requiredToken: string, authorization: string | undefined): boolean {
  if (!requiredToken) return true;
  const presented = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
  // Digests have one length, so the comparison takes the same time whatever was presented.
  return presented !== undefined && timingSafeEqual(digest(presented), digest(requiredToken));
}
