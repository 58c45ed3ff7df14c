// Prometheus metrics: one registry per app instance, the scrape endpoint, and the HTTP timing
// middleware. Global so the Slurm client, the poller and the VNC proxy can record into it.
import { Global, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { httpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';
import { VizportalMetrics } from './vizportal-metrics';

@Global()
@Module({
  controllers: [MetricsController],
  // The sessions gauge's counts come from the sessions module (countSessionsWith): metrics knows no entity.
  providers: [{ provide: VizportalMetrics, useFactory: () => new VizportalMetrics() }],
  exports: [VizportalMetrics],
})
export class MetricsModule implements NestModule {
  constructor(private readonly metrics: VizportalMetrics) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(httpMetricsMiddleware(this.metrics))
      .forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
