// Health of the portal's dependencies (@nestjs/terminus).
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ClusterModule } from '../cluster/cluster.module';
import { DatabaseHealthIndicator } from '../database/database.health';
import { HealthController } from './health.controller';
import { SlurmHealthIndicator } from './slurm.health';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'pretty', gracefulShutdownTimeoutMs: 0 }), ClusterModule],
  controllers: [HealthController],
  providers: [SlurmHealthIndicator, DatabaseHealthIndicator],
})
export class HealthModule {}
