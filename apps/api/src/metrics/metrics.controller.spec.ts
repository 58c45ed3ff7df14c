import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { metricsAccessAllowed } from './metrics-access';
import { MetricsController } from './metrics.controller';
import { VizportalMetrics } from './vizportal-metrics';

function sessionsMetrics(counts: Record<string, number>): VizportalMetrics {
  const metrics = new VizportalMetrics();
  metrics.countSessionsWith(async () => counts);
  return metrics;
}

async function startController(settings: {
  METRICS_ENABLED: boolean;
  METRICS_TOKEN: string;
}): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    controllers: [MetricsController],
    providers: [
      { provide: VizportalMetrics, useValue: sessionsMetrics({ running: 1 }) },
      { provide: ConfigService, useValue: { get: (key: keyof typeof settings) => settings[key] } },
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

describe('MetricsController', () => {
  let app: INestApplication | undefined;
  afterEach(async () => app?.close());

  it('serves the Prometheus text to anyone when no token is set', async () => {
    app = await startController({ METRICS_ENABLED: true, METRICS_TOKEN: '' });
    const response = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.text).toContain('vizportal_sessions{state="running"} 1');
  });

  it('asks for the bearer token when one is set', async () => {
    app = await startController({ METRICS_ENABLED: true, METRICS_TOKEN: 'scrape-token' });
    await request(app.getHttpServer()).get('/metrics').expect(401);
    await request(app.getHttpServer()).get('/metrics').set('authorization', 'Bearer wrong').expect(401);
    await request(app.getHttpServer()).get('/metrics').set('authorization', 'scrape-token').expect(401);
    await request(app.getHttpServer())
      .get('/metrics')
      .set('authorization', 'Bearer scrape-token')
      .expect(200);
  });

  it('answers 404 when metrics are disabled, token or not', async () => {
    app = await startController({ METRICS_ENABLED: false, METRICS_TOKEN: '' });
    await request(app.getHttpServer()).get('/metrics').expect(404);
  });
});

describe('metricsAccessAllowed', () => {
  it('allows everything without a token, and only the exact bearer token with one', () => {
    expect(metricsAccessAllowed('', undefined)).toBe(true);
    expect(metricsAccessAllowed('t0ken', undefined)).toBe(false);
    expect(metricsAccessAllowed('t0ken', 'Bearer t0ken')).toBe(true);
    expect(metricsAccessAllowed('t0ken', 'Bearer t0ken2')).toBe(false);
    expect(metricsAccessAllowed('t0ken', 'Bearer ')).toBe(false);
    expect(metricsAccessAllowed('t0ken', 'Basic t0ken')).toBe(false);
  });
});
