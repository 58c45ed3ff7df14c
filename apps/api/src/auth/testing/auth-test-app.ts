// A real Nest app for the auth tests: AuthModule (and the audit log it writes to) on a SQLite file with the migrations run, the same
// configureApp as main.ts, cookie-parser as main.ts installs it, and a few routes to guard.
import type { Server } from 'node:http';
import { Controller, Get, type INestApplication, Module, Post } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import cookieParser from 'cookie-parser';
import { DataSource } from 'typeorm';
import { configureApp } from '../../configure-app';
import { CreateUsers1764320000000 } from '../../database/migrations/1764320000000-create-users';
import { CreateLoginSessions1764320000001 } from '../../database/migrations/1764320000001-create-login-sessions';
import { GovernUsers1764340000000 } from '../../database/migrations/1764340000000-govern-users';
import { CreateAuditEvents1764340000002 } from '../../database/migrations/1764340000002-create-audit-events';
import { AuditModule } from '../../audit/audit.module';
import { AdminOnly, CurrentUser, Public } from '../auth.decorators';
import { AuthModule } from '../auth.module';
import type { AuthenticatedUser } from '../authenticated-user';

export const AUTH_MIGRATIONS = [
  CreateUsers1764320000000,
  CreateLoginSessions1764320000001,
  GovernUsers1764340000000,
  CreateAuditEvents1764340000002,
];

@Controller('test')
class GuardedRoutesController {
  @Get('protected')
  whoAmI(@CurrentUser() user: AuthenticatedUser): AuthenticatedUser {
    return user;
  }

  @Post('protected')
  change(@CurrentUser() user: AuthenticatedUser): { changedBy: string } {
    return { changedBy: user.username };
  }

  @Get('public')
  @Public()
  open(): { open: true } {
    return { open: true };
  }

  @Get('admin')
  @AdminOnly()
  adminOnly(): { admin: true } {
    return { admin: true };
  }
}

@Module({ controllers: [GuardedRoutesController] })
class GuardedRoutesModule {}

export interface AuthTestApp {
  app: INestApplication;
  http: Server;
  dataSource: DataSource;
}

/** `env` is the whole environment the app sees (the test runner's own is skipped). */
export async function createAuthTestApp(
  databaseFile: string,
  env: Record<string, string>,
): Promise<AuthTestApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({
        isGlobal: true,
        ignoreEnvFile: true,
        skipProcessEnv: true,
        load: [() => ({ PASSWORD_HASH_COST: '4', ...env })],
      }),
      TypeOrmModule.forRoot({
        type: 'sqlite',
        database: databaseFile,
        enableWAL: true,
        busyTimeout: 5000,
        autoLoadEntities: true,
        synchronize: false,
        migrations: AUTH_MIGRATIONS,
        migrationsRun: true,
        retryAttempts: 0,
      }),
      AuthModule,
      AuditModule, // the guard records refused admin routes
      GuardedRoutesModule,
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.use(cookieParser());
  configureApp(app);
  await app.init();
  return { app, http: app.getHttpServer() as Server, dataSource: app.get(DataSource) };
}
