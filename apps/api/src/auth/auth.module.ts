// Who the user is, for every request: local accounts with a login cookie (AUTH_MODE=local) or a
// trusted single sign-on proxy's header (AUTH_MODE=header). Owns the users and login_sessions
// tables, login/logout/me, the admin-only account API and the global AuthGuard.
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import {
  getOptionsToken,
  getStorageToken,
  type ThrottlerModuleOptions,
  ThrottlerStorageService,
} from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AUTH_CONFIG, type AuthConfig, readAuthConfig } from './auth-config';
import { AuthController, LOGIN_RATE_LIMIT_MESSAGE } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { LoginSessionEntity } from './entities/login-session.entity';
import { UserEntity } from './entities/user.entity';
import { FirstAdmin } from './first-admin';
import { UserService } from './user.service';
import { UsersController } from './users.controller';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity, LoginSessionEntity])],
  controllers: [AuthController, UsersController],
  providers: [
    { provide: AUTH_CONFIG, inject: [ConfigService], useFactory: readAuthConfig },
    // The login limiter's options and counters, provided here rather than by a (global)
    // ThrottlerModule.forRoot, so they apply to the ThrottlerGuard on login only and cannot clash
    // with a rate limit another module sets up.
    {
      provide: getOptionsToken(),
      inject: [AUTH_CONFIG],
      useFactory: (config: AuthConfig): ThrottlerModuleOptions => ({
        throttlers: [{ name: 'login', ttl: 60_000, limit: config.LOGIN_RATE_LIMIT_PER_MINUTE }],
        errorMessage: LOGIN_RATE_LIMIT_MESSAGE,
      }),
    },
    { provide: getStorageToken(), useClass: ThrottlerStorageService },
    UserService,
    AuthService,
    FirstAdmin,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService, UserService, AUTH_CONFIG],
})
export class AuthModule {}
