// Starts the vizportal API: REST under /api, Swagger UI at /api/docs, and (in production) the web app.
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { Logger as JsonLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import type { AppConfig } from './config/app-config';
import { configureApp } from './configure-app';

async function bootstrap(): Promise<void> {
  // Start-up lines are held until the JSON logger is in place, so every line on stdout is JSON.
  const app = await NestFactory.create(AppModule, { bufferLogs: true });
  app.useLogger(app.get(JsonLogger));
  configureApp(app);
  app.enableShutdownHooks();
  const config = app.get<ConfigService<AppConfig, true>>(ConfigService);
  const host = config.get('HOST', { infer: true });
  const port = config.get('PORT', { infer: true });
  await app.listen(port, host);
  Logger.log(
    `vizportal API on http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/ (docs: /api/docs)`,
    'Bootstrap',
  );
}

bootstrap().catch((error: unknown) => {
  // A bad configuration or an unusable database must stop start-up with the reason, not a stack dump.
  Logger.flush();
  Logger.error(error instanceof Error ? error.message : String(error), undefined, 'Bootstrap');
  process.exit(1);
});
