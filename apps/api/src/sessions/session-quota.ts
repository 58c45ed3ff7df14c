// A user's use of their quotas, counted from the portal's own session records: live sessions and
// the CPUs and GPUs they hold, and the session-hours of the rolling window (see site-policy).
import { type QuotaUsage, SESSION_HOURS_WINDOW_DAYS, sessionHoursUsed } from '@vizportal/site-policy';

/** One of the owner's sessions that counts: live, or ended inside the window. */
export interface QuotaRecord {
  live: boolean;
  cpus: number | null;
  gpus: number | null;
  startedAt: Date | null;
  endedAt: Date | null;
  timeLimitMinutes: number | null;
}

/** Where the repository starts looking for ended sessions. */
export function quotaWindowStart(now: Date): Date {
  return new Date(now.getTime() - SESSION_HOURS_WINDOW_DAYS * 86_400_000);
}

export function quotaUsage(records: readonly QuotaRecord[], now: Date): QuotaUsage {
  const live = records.filter((record) => record.live);
  return {
    liveSessions: live.length,
    cpus: live.reduce((sum, record) => sum + (record.cpus ?? 0), 0),
    gpus: live.reduce((sum, record) => sum + (record.gpus ?? 0), 0),
    sessionHours: sessionHoursUsed(records, now),
  };
}
