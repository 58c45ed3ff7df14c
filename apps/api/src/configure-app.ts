// What main.ts and the tests' Nest apps share: the /api prefix and the OpenAPI document.
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import { SESSION_COOKIE_NAME } from './auth/auth.service';
import { JSON_BODY_OPTIONS } from './json-body';
import { METRICS_BEARER_AUTH } from './metrics/metrics.controller';
import { RequestBodyErrorFilter } from './request-body-error.filter';

export const API_PREFIX = 'api';

export function configureApp(app: INestApplication): void {
  app.use(cookieParser());
  // JSON bodies: at most 100 kB, no prototype keys, no deep nesting (json-body.ts).
  (app as NestExpressApplication).useBodyParser('json', JSON_BODY_OPTIONS);
  app.setGlobalPrefix(API_PREFIX);
  // A body over the parser's limit (100 kB) or unreadable: a 4xx with a sentence, not a logged server error.
  app.useGlobalFilters(new RequestBodyErrorFilter());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('vizportal API')
      .setDescription('Interactive GUI sessions (VNC desktops) on a Slurm cluster.')
      .setVersion('0.1.0')
      .addCookieAuth(
        SESSION_COOKIE_NAME,
        { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE_NAME },
        SESSION_COOKIE_NAME,
      )
      .addBearerAuth(
        { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, when set' },
        METRICS_BEARER_AUTH,
      )
      .build(),
  );
  SwaggerModule.setup(`${API_PREFIX}/docs`, app, document, { jsonDocumentUrl: `${API_PREFIX}/docs-json` });
}
