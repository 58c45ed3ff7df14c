// Records every @Audited route's outcome: `ok` when it answered, `refused` with the message when it
// answered 4xx (a quota, a permission, bad input), `failed` on anything else. Refusals are recorded
// here, once, rather than at each place that may throw one.
import {
  type CallHandler,
  type ExecutionContext,
  HttpException,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { type Observable, catchError, from, mergeMap, throwError } from 'rxjs';
import { AuthService } from '../auth/auth.service';
import type { AuthenticatedRequest } from '../auth/authenticated-user';
import { AUDITED_KEY, type AuditDescription, type AuditedRoute } from './audited.decorator';
import { AuditService } from './audit.service';

@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
    private readonly auth: AuthService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const route = this.reflector.get<AuditedRoute | undefined>(AUDITED_KEY, context.getHandler());
    if (!route || context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    return next.handle().pipe(
      mergeMap((result) => from(this.record(route, req, 'ok', result).then(() => result))),
      catchError((error: unknown) => {
        const status = error instanceof HttpException ? error.getStatus() : 500;
        const outcome = status < 500 ? 'refused' : 'failed';
        const reason = error instanceof HttpException ? messageOf(error) : 'internal error';
        return from(this.record(route, req, outcome, undefined, { reason, status })).pipe(
          mergeMap(() => throwError(() => error)),
        );
      }),
    );
  }

  private record(
    route: AuditedRoute,
    req: Request & AuthenticatedRequest,
    outcome: 'ok' | 'refused' | 'failed',
    result: unknown,
    refusal?: { reason: string; status: number },
  ): Promise<void> {
    let described: AuditDescription = {};
    try {
      described = route.describe?.(req, result) ?? {};
    } catch {
      described = {}; // a describe() that trips on a refused request's missing answer still leaves the event
    }
    const params = req.params as Record<string, string | undefined> | undefined;
    return this.audit.record({
      actor: described.actor ?? req.user?.username ?? 'anonymous',
      action: route.action,
      outcome,
      address: this.auth.clientAddress(req),
      sessionId: described.sessionId ?? params?.['id'] ?? null,
      subject: described.subject ?? null,
      details: { ...described.details, ...refusal },
    });
  }
}

function messageOf(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : String(message ?? error.message);
}
