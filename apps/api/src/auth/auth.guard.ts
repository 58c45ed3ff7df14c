// The global guard: every HTTP route needs a user unless it is @Public(), @AdminOnly() routes an
// administrator; cross-site state-changing requests, and those with a form's body type, are
// refused first. Socket.IO handlers are checked the same way, from the user the gateway stored at the handshake or the handshake request.
import type { IncomingMessage } from 'node:http';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { WsException } from '@nestjs/websockets';
import {
  AdminRequiredError,
  CrossSiteRequestError,
  FormPostRefusedError,
  NotLoggedInError,
} from './auth-errors';
import { ADMIN_ONLY_KEY, IS_PUBLIC_KEY } from './auth.decorators';
import { AuditService } from '../audit/audit.service';
import { AuthService } from './auth.service';
import type { AuthenticatedRequest, AuthenticatedUser } from './authenticated-user';
import { isCrossSiteRequest, isFormPost } from './cross-site-request';

/** What the guard reads from a Socket.IO socket. */
interface SocketLike {
  request?: IncomingMessage;
  data?: { user?: AuthenticatedUser };
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets) ?? false;
    const adminOnly = this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY_KEY, targets) ?? false;
    switch (context.getType()) {
      case 'http':
        return this.checkHttp(context.switchToHttp().getRequest<AuthenticatedRequest>(), isPublic, adminOnly);
      case 'ws':
        return this.checkSocket(context.switchToWs().getClient<SocketLike>(), isPublic, adminOnly);
      default:
        return isPublic; // no other transport is expected; refuse rather than guess
    }
  }

  private async checkHttp(
    req: AuthenticatedRequest,
    isPublic: boolean,
    adminOnly: boolean,
  ): Promise<boolean> {
    if (isCrossSiteRequest(req)) throw new CrossSiteRequestError();
    if (isFormPost(req)) throw new FormPostRefusedError();
    if (isPublic) return true;
    const outcome = await this.auth.identify(req);
    if (!outcome.user) throw new NotLoggedInError(outcome.problem);
    if (adminOnly && !outcome.user.isAdmin) {
      await this.audit.record({
        actor: outcome.user.username,
        action: 'access.denied',
        outcome: 'refused',
        address: this.auth.clientAddress(req),
        details: { method: req.method, path: req.url?.split('?')[0] },
      });
      throw new AdminRequiredError();
    }
    req.user = outcome.user;
    return true;
  }

  private async checkSocket(client: SocketLike, isPublic: boolean, adminOnly: boolean): Promise<boolean> {
    if (isPublic) return true;
    const user =
      client.data?.user ?? (client.request ? await this.auth.authenticateRequest(client.request) : null);
    if (!user) throw new WsException(new NotLoggedInError().message);
    if (adminOnly && !user.isAdmin) throw new WsException(new AdminRequiredError().message);
    return true;
  }
}
