// @Audited(action, describe?): the route's outcome goes to the audit log, done or refused, with
// what describe() picks from the request and the answer. describe() names each field it keeps:
// nothing of a request reaches the log unless a route chose it.
import { SetMetadata } from '@nestjs/common';
import type { AuditAction } from '@vizportal/site-policy';
import type { Request } from 'express';

export interface AuditDescription {
  /** Defaults to the logged-in user (for a login, the name that was tried). */
  actor?: string;
  /** Defaults to the route's :id. */
  sessionId?: string | null;
  subject?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditedRoute {
  action: AuditAction;
  /** `result` is the route's answer; undefined when it was refused or failed. */
  describe?: (req: Request, result: unknown) => AuditDescription;
}

export const AUDITED_KEY = 'vizportal:audited';

export const Audited = (action: AuditAction, describe?: AuditedRoute['describe']) =>
  SetMetadata(AUDITED_KEY, { action, describe } satisfies AuditedRoute);
