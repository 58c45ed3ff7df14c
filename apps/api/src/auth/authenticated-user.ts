// Who is making a request, as the rest of the API sees it (request.user, @CurrentUser()).
import type { IncomingMessage } from 'node:http';

export interface AuthenticatedUser {
  /** Also the Unix account jobs run as. */
  username: string;
  isAdmin: boolean;
}

/** A request after AuthGuard let it through: `user` is set on every non-@Public route. */
export type AuthenticatedRequest = IncomingMessage & { user?: AuthenticatedUser };
