// Who is making a request, as the rest of the API sees it (request.user, @CurrentUser()).
import type { IncomingMessage } from 'node:http';

export interface AuthenticatedUser {
  /** Also the Unix account jobs run as. */
  username: string;
  isAdmin: boolean;
  /** Unix groups, for the site's access rules: an admin's (local mode), the sign-on proxy's header, the system's (SLURM_SUBMIT_AS=user). */
  groups: readonly string[];
}

/** A request after AuthGuard let it through: `user` is set on every non-@Public route. */
export type AuthenticatedRequest = IncomingMessage & { user?: AuthenticatedUser };
