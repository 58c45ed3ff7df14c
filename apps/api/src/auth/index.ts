// The auth module's public API for the rest of apps/api.
export { AuthModule } from './auth.module';
export { AuthService, SESSION_COOKIE_NAME, type AuthOutcome } from './auth.service';
export { UserService } from './user.service';
export { AdminOnly, CurrentUser, Public } from './auth.decorators';
export type { AuthenticatedRequest, AuthenticatedUser } from './authenticated-user';
export { AUTH_CONFIG, authConfigSchema, type AuthConfig } from './auth-config';
export { isValidUsername, USERNAME_PATTERN } from './account-rules';
export { UserEntity } from './entities/user.entity';
export { LoginSessionEntity } from './entities/login-session.entity';
