// What the audit log keeps of each session route (see @Audited): the app, the answers and the job,
// and whose session it was when an administrator acted on someone else's. Never the connect token
// or the desktop's password, which /connect answers with.
import type { SessionDto } from '@vizportal/session-domain';
import type { Request } from 'express';
import type { AuditDescription } from '../audit/audited.decorator';
import type { AuthenticatedRequest } from '../auth/authenticated-user';

type AuditedRequest = Request & AuthenticatedRequest;

function subjectOf(req: AuditedRequest, session: SessionDto | undefined): string | null {
  return session && session.owner !== req.user?.username ? session.owner : null;
}

export function describeLaunch(req: Request, result: unknown): AuditDescription {
  const session = result as SessionDto | undefined;
  const body = (req.body ?? {}) as { appId?: unknown; values?: unknown };
  return {
    sessionId: session?.id ?? null,
    details: {
      appId: typeof body.appId === 'string' ? body.appId.slice(0, 64) : null,
      values: body.values ?? null,
      ...(session ? { jobId: session.jobId, state: session.state } : {}),
    },
  };
}

export function describeSessionChange(req: Request, result: unknown): AuditDescription {
  const session = result as SessionDto | undefined;
  return {
    subject: subjectOf(req as AuditedRequest, session),
    details: session ? { appId: session.appId, jobId: session.jobId, state: session.state } : {},
  };
}

export function describeRelaunch(req: Request, result: unknown): AuditDescription {
  const session = result as SessionDto | undefined;
  return {
    subject: subjectOf(req as AuditedRequest, session),
    details: session ? { newSessionId: session.id, appId: session.appId, jobId: session.jobId } : {},
  };
}

export function describeConnect(_req: Request, result: unknown): AuditDescription {
  const grant = result as { expiresAt?: string } | undefined;
  return { details: grant?.expiresAt ? { grantExpiresAt: grant.expiresAt } : {} };
}

export function describeExtend(req: Request, result: unknown): AuditDescription {
  const session = result as SessionDto | undefined;
  const minutes = (req.body as { minutes?: unknown } | undefined)?.minutes;
  return {
    subject: subjectOf(req as AuditedRequest, session),
    details: {
      minutes: typeof minutes === 'number' ? minutes : null,
      ...(session ? { jobId: session.jobId, timeLimitMinutes: session.timeLimitMinutes } : {}),
    },
  };
}
