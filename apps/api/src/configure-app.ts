// What main.ts and the tests' Nest apps share: the /api prefix and the OpenAPI document.
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import { SESSION_COOKIE_NAME } from './auth/auth.service';

export const API_PREFIX = 'api';

export function configureApp(app: INestApplication): void {
  app.use(cookieParser());
  app.setGlobalPrefix(API_PREFIX);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('vizportal API')
      .setDescription('Interactive GUI sessions (VNC desktops) on a Slurm cluster.')
      .setVersion('0.1.0')
      .addCookieAuth(SESSION_COOKIE_NAME, { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE_NAME }, SESSION_COOKIE_NAME)
      .build(),
  );
  SwaggerModule.setup(`${API_PREFIX}/docs`, app, document, { jsonDocumentUrl: `${API_PREFIX}/docs-json` });
}
