// @vizportal/site-policy: how a site governs the portal. Who may use an app or a partition, the
// per-user quotas on launching, and the contract of quotas and the audit log with the web app.
// Pure TypeScript with no dependencies, like session-domain: the API enforces, the browser shows.
export { describeAccess, isUnrestricted, mayUse, type AccessRule, type Principal } from './lib/access-rule';
export {
  NO_LIMITS,
  QUOTA_NAMES,
  SESSION_HOURS_WINDOW_DAYS,
  effectiveLimits,
  formatHours,
  quotaRefusal,
  sessionHoursUsed,
  type LaunchDemand,
  type QuotaLimits,
  type QuotaName,
  type QuotaOverride,
  type QuotaPolicy,
  type QuotaRefusal,
  type QuotaUsage,
  type SessionTime,
} from './lib/quota';
export {
  AUDIT_ACTIONS,
  AUDIT_OUTCOMES,
  QUOTA_LABELS,
  type AccountDto,
  type AuditAction,
  type AuditEventDto,
  type AuditOutcome,
  type AuditPageDto,
  type QuotaDto,
  type QuotaReportDto,
} from './lib/policy.dto';
