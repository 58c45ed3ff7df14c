// The root module: wires configuration, the database, Slurm and the feature modules.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CatalogModule } from './catalog/catalog.module';
import { ClusterModule } from './cluster/cluster.module';
import { validateAppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { LaunchSettingsModule } from './launch-settings/launch-settings.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { PolicyModule } from './policy/policy.module';
import { SessionsModule } from './sessions/sessions.module';
import { SlurmModule } from './slurm/slurm.module';
import { VncProxyModule } from './vnc-proxy/vnc-proxy.module';

/** In production the API also serves the built web app, so the portal is one process on one port. */
function webAppModules(): DynamicModule[] {
  const config = validateAppConfig(process.env);
  const root = resolve(config.WEB_DIST_DIR);
  if (config.NODE_ENV !== 'production' || !existsSync(root)) return [];
  return [ServeStaticModule.forRoot({ rootPath: root, exclude: ['/api/{*path}'] })];
}

@Module({
  imports: [
    ConfigModule,
    LoggingModule,
    DatabaseModule,
    MetricsModule,
    AuthModule,
    AuditModule,
    PolicyModule,
    SlurmModule,
    ClusterModule,
    CatalogModule,
    LaunchSettingsModule,
    SessionsModule,
    VncProxyModule,
    HealthModule,
    ...webAppModules(),
  ],
})
export class AppModule {}
