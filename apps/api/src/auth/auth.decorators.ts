// Route markers read by AuthGuard, and the parameter decorator that hands a handler its user.
import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import type { AuthenticatedRequest, AuthenticatedUser } from './authenticated-user';

export const IS_PUBLIC_KEY = 'vizportal:auth:public';
export const ADMIN_ONLY_KEY = 'vizportal:auth:admin-only';

/** The route needs no user: login, health, docs, the job's readiness callback (it has its own secret). */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

/** Only administrators; others get 403. */
export const AdminOnly = () =>
  applyDecorators(
    SetMetadata(ADMIN_ONLY_KEY, true),
    ApiForbiddenResponse({
      description: 'Logged in, but not an administrator.',
      schema: {
        example: { statusCode: 403, message: 'Only an administrator may do this', error: 'Forbidden' },
      },
    }),
  );

/** The logged-in user of this request (HTTP). Not available on @Public routes. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedUser => {
    const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    // Only a @Public handler asking for a user gets here: a programming error, not the client's.
    if (!user)
      throw new Error('@CurrentUser() used on a route without an authenticated user (is it @Public()?)');
    return user;
  },
);
