// Times every HTTP request under /api. The route label is Express's route template
// ("/api/sessions/:id"), never the raw path: session ids in paths would make a series per session.
import type { NextFunction, Request, Response } from 'express';
import type { VizportalMetrics } from './vizportal-metrics';

/** Requests that matched no endpoint (404s, probes, static files) share one label. */
export const UNMATCHED_ROUTE = 'unmatched';
/** Nest mounts middleware as catch-all routes ("/api/{*path}"); one left on the request means no endpoint matched. */
const CATCH_ALL = /\{\*/;

export function routeTemplate(request: Pick<Request, 'route' | 'baseUrl'>): string {
  const path: unknown = request.route?.path;
  if (typeof path !== 'string' || CATCH_ALL.test(path)) return UNMATCHED_ROUTE;
  return `${request.baseUrl ?? ''}${path}`;
}

export function httpMetricsMiddleware(metrics: VizportalMetrics) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const end = metrics.httpRequestDuration.startTimer();
    // 'close' also covers clients that hang up before the answer is finished.
    response.once('close', () => {
      end({ method: request.method, route: routeTemplate(request), status: String(response.statusCode) });
    });
    next();
  };
}
