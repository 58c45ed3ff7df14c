// Provides the SlurmClient port (libs/slurm-client) to every module, configured from the environment.
import { Global, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { CliSlurmClient, SLURM_CLIENT } from '@vizportal/slurm-client';
import type { AppConfig } from '../config/app-config';
import { InstrumentedSlurmClient } from './instrumented-slurm-client';
import { VizportalMetrics } from '../metrics/vizportal-metrics';
import { SlurmErrorFilter } from './slurm-error.filter';

@Global()
@Module({
  providers: [
    { provide: APP_FILTER, useClass: SlurmErrorFilter },
    {
      provide: SLURM_CLIENT,
      inject: [ConfigService, VizportalMetrics],
      // Wrapped so every command is timed and its failures counted (GET /api/metrics).
      useFactory: (config: ConfigService<AppConfig, true>, metrics: VizportalMetrics) =>
        new InstrumentedSlurmClient(
          new CliSlurmClient({
            commandTimeoutMs: config.get('SLURM_COMMAND_TIMEOUT_MS', { infer: true }),
            // A service account other than the API's own is reached through sudo, as users are.
            submitAs:
              config.get('SLURM_SUBMIT_AS', { infer: true }) === 'user' ||
              config.get('SLURM_JOB_ACCOUNT', { infer: true }) !== ''
                ? 'user'
                : 'service',
            binDir: config.get('SLURM_BIN_DIR', { infer: true }) || undefined,
          }),
          metrics,
        ),
    },
  ],
  exports: [SLURM_CLIENT],
})
export class SlurmModule {}
