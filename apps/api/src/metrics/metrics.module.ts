// Prometheus metrics: one registry per app instance, the scrape endpoint, and the HTTP timing
// middleware. Global so the Slurm client, the poller and the VNC proxy can record into it.
import { Global, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { getRepositoryToken, TypeOrmModule } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { SessionEntity } from '../sessions/entities/session.entity';
import { httpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';
import { countSessionsByState } from './session-state-counts';
import { VizportalMetrics } from './vizportal-metrics';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([SessionEntity])],
  controllers: [MetricsController],
  providers: [
    {
      provide: VizportalMetrics,
      inject: [getRepositoryToken(SessionEntity)],
      useFactory: (rows: Repository<SessionEntity>) => new VizportalMetrics(() => countSessionsByState(rows)),
    },
  ],
  exports: [VizportalMetrics],
})
export class MetricsModule implements NestModule {
  constructor(private readonly metrics: VizportalMetrics) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(httpMetricsMiddleware(this.metrics)).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
