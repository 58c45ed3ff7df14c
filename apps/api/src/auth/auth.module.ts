// Who the user is, for every request: local accounts with a login cookie (AUTH_MODE=local) or a
// trusted single sign-on proxy's header (AUTH_MODE=header). Owns the users and login_sessions
// tables, login/logout/me, the admin-only account API and the global AuthGuard.
import type { IncomingMessage } from 'node:http';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import {
  getOptionsToken,
  getStorageToken,
  normalizeIp,
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
import { SystemGroups } from './system-groups';
import { TrustedProxies } from './trusted-proxies';
import { UserService } from './user.service';
import { UsersController } from './users.controller';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity, LoginSessionEntity])],
  controllers: [AuthController, UsersController],
  providers: [
    { provide: AUTH_CONFIG, inject: [ConfigService], useFactory: readAuthConfig },
    // The login limiter's options and counters, provided here rather than by a (global)
    // ThrottlerModule.forRoot, so they apply to the ThrottlerGuard on login only and cannot clash
    // with a rate limit another module sets up. Attempts are counted per client address: behind
    // our reverse proxy (AUTH_TRUSTED_PROXIES) the one in X-Forwarded-For, not the proxy's own;
    // normalizeIp is the limiter's own default (an IPv6 client counts by its /64).
    {
      provide: getOptionsToken(),
      inject: [AUTH_CONFIG],
      useFactory: (config: AuthConfig): ThrottlerModuleOptions => {
        const proxies = new TrustedProxies(config.AUTH_TRUSTED_PROXIES);
        return {
          throttlers: [{ name: 'login', ttl: 60_000, limit: config.LOGIN_RATE_LIMIT_PER_MINUTE }],
          errorMessage: LOGIN_RATE_LIMIT_MESSAGE,
          getTracker: (req: Record<string, unknown>) => {
            const { socket, headers } = req as unknown as IncomingMessage;
            return normalizeIp(proxies.clientAddress(socket.remoteAddress, headers['x-forwarded-for']) ?? '');
          },
        };
      },
    },
    { provide: getStorageToken(), useClass: ThrottlerStorageService },
    UserService,
    SystemGroups,
    AuthService,
    FirstAdmin,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService, UserService, AUTH_CONFIG],
})
export class AuthModule {}
