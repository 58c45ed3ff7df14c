import express from 'express';
import request from 'supertest';
import { httpMetricsMiddleware, routeTemplate, UNMATCHED_ROUTE } from './http-metrics.middleware';
import { sampleSum } from './prometheus-text';
import { VizportalMetrics } from './vizportal-metrics';

describe('httpMetricsMiddleware', () => {
  it('labels requests with the route template and status, never the raw path', async () => {
    const metrics = new VizportalMetrics();
    const app = express();
    app.use(httpMetricsMiddleware(metrics));
    app.get('/api/sessions/:id', (_req, res) => void res.json({}));
    app.post('/api/sessions/:id/stop', (_req, res) => void res.status(409).json({}));
    await request(app).get('/api/sessions/0b6c1f8e-1111-2222-3333-444455556666').expect(200);
    await request(app).get('/api/sessions/another-id').expect(200);
    await request(app).post('/api/sessions/x/stop').expect(409);
    await request(app).get('/api/unknown/secret-looking-path').expect(404);
    const text = await metrics.render();
    const count = (labels: Record<string, string>) =>
      sampleSum(text, 'vizportal_http_request_duration_seconds_count', labels);
    expect(count({ method: 'GET', route: '/api/sessions/:id', status: '200' })).toBe(2);
    expect(count({ method: 'POST', route: '/api/sessions/:id/stop', status: '409' })).toBe(1);
    expect(count({ method: 'GET', route: UNMATCHED_ROUTE, status: '404' })).toBe(1);
    expect(text).not.toContain('another-id');
    expect(text).not.toContain('secret-looking-path');
  });

  it('treats a catch-all middleware mount left on the request as no match', () => {
    expect(routeTemplate({ route: { path: '/api/{*path}' }, baseUrl: '' })).toBe(UNMATCHED_ROUTE);
    expect(routeTemplate({ route: undefined, baseUrl: '' })).toBe(UNMATCHED_ROUTE);
    expect(routeTemplate({ route: { path: '/:id' }, baseUrl: '/api/sessions' })).toBe('/api/sessions/:id');
  });
});
