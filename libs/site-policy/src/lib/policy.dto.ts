// The site-policy contract between the API and the web app: a user's quotas and the audit log.
import type { QuotaName, QuotaOverride } from './quota';

export interface QuotaDto {
  quota: QuotaName;
  /** "Sessions running or waiting", "CPUs in live sessions", … */
  label: string;
  used: number;
  /** null: no limit. */
  limit: number | null;
}

/** GET /api/quotas/mine. */
export interface QuotaReportDto {
  username: string;
  quotas: QuotaDto[];
}

export const QUOTA_LABELS: Record<QuotaName, string> = {
  liveSessions: 'Sessions running or waiting',
  cpus: 'CPUs in live sessions',
  gpus: 'GPUs in live sessions',
  sessionHours: 'Session-hours in the last 7 days',
};

/** Every action the audit log records. */
export const AUDIT_ACTIONS = [
  'login',
  'logout',
  'access.denied', // a route refused for lack of rights (an admin route, for a non-admin)
  'session.launch',
  'session.stop',
  'session.relaunch',
  'session.delete',
  'session.extend',
  'session.keep', // the owner kept a session from an idle stop
  'session.idle-stop', // the portal stopped a session after the site's idle limit (actor: vizportal)
  'session.connect',
  'preset.save',
  'preset.delete',
  'vnc.open',
  'vnc.close',
  'user.create',
  'user.update',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** `ok`: done. `refused`: the portal said no (a quota, a permission, bad input). `failed`: it could not. */
export const AUDIT_OUTCOMES = ['ok', 'refused', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditEventDto {
  id: string;
  at: string;
  /** Who acted; for a failed login, the name that was tried. */
  actor: string;
  action: AuditAction;
  outcome: AuditOutcome;
  /** The client's address (behind a trusted proxy, from X-Forwarded-For). */
  address: string | null;
  sessionId: string | null;
  /** Whose session or account the action touched, when not the actor's own. */
  subject: string | null;
  /** What was asked and what came of it; never a password, token or secret. */
  details: Record<string, unknown>;
}

export interface AuditPageDto {
  events: AuditEventDto[];
  /** Pass as `before` for the next (older) page; null at the end. */
  next: string | null;
}

/** A local account as administrators see it (GET /api/users): never the password hash. */
export interface AccountDto {
  username: string;
  isAdmin: boolean;
  createdAt: string;
  /** Unix groups for the access rules, as an administrator set them. */
  groups: string[];
  disabled: boolean;
  /** null: the site policy applies. A null limit inside: no limit. */
  quotaOverride: QuotaOverride | null;
}
