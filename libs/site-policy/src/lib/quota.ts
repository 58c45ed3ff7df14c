// Per-user quotas on launching: how many live sessions, how many CPUs and GPUs in them, and how
// many session-hours in a rolling window. Pure rules: the API counts the use from its records and
// checks a launch against it while no other launch of the same user can slip in between.

export const QUOTA_NAMES = ['liveSessions', 'cpus', 'gpus', 'sessionHours'] as const;
export type QuotaName = (typeof QUOTA_NAMES)[number];

/** The rolling window of the session-hours quota. */
export const SESSION_HOURS_WINDOW_DAYS = 7;

/** A limit per quota; null (or absent) is no limit. */
export type QuotaLimits = Record<QuotaName, number | null>;
export type QuotaOverride = Partial<QuotaLimits>;

export const NO_LIMITS: QuotaLimits = { liveSessions: null, cpus: null, gpus: null, sessionHours: null };

/** What the user holds now, in the same units as the limits. */
export type QuotaUsage = Record<QuotaName, number>;

/** What one launch would add. */
export interface LaunchDemand {
  cpus: number;
  gpus: number;
  /** The session's time limit, in hours. */
  hours: number;
}

export interface QuotaPolicy {
  defaults: QuotaOverride;
  /** Per Unix group; a user in several gets, per quota, the most generous of them. */
  groups?: Readonly<Record<string, QuotaOverride>>;
}

/**
 * The limits that apply to a user: the site's defaults, raised or lowered by their groups (the most
 * generous group wins, per quota, and a group's null lifts the limit), then the user's own override.
 */
export function effectiveLimits(
  policy: QuotaPolicy,
  groups: readonly string[],
  userOverride: QuotaOverride = {},
): QuotaLimits {
  const limits: QuotaLimits = { ...NO_LIMITS, ...definedOnly(policy.defaults) };
  const groupOverrides = groups.map((group) => policy.groups?.[group]).filter((o) => o !== undefined);
  for (const name of QUOTA_NAMES) {
    const fromGroups = groupOverrides.filter((o) => o[name] !== undefined).map((o) => o[name] ?? null);
    if (fromGroups.length > 0)
      limits[name] = fromGroups.includes(null) ? null : Math.max(...(fromGroups as number[]));
    if (userOverride[name] !== undefined) limits[name] = userOverride[name] ?? null;
  }
  return limits;
}

function definedOnly(override: QuotaOverride): QuotaOverride {
  return Object.fromEntries(Object.entries(override).filter(([, value]) => value !== undefined));
}

/** A session as the session-hours quota counts it. */
export interface SessionTime {
  live: boolean;
  startedAt: Date | null;
  endedAt: Date | null;
  timeLimitMinutes: number | null;
}

/**
 * Session-hours in the window ending now: the run time of every session inside it, and for a live
 * one also the rest of its time limit, which it may still use (as Slurm's GrpTRESRunMins counts
 * running jobs). A queued session holds its whole time limit.
 */
export function sessionHoursUsed(sessions: readonly SessionTime[], now: Date): number {
  const windowStart = now.getTime() - SESSION_HOURS_WINDOW_DAYS * 86_400_000;
  let ms = 0;
  for (const session of sessions) {
    const start = session.startedAt?.getTime();
    if (start !== undefined) {
      const end = session.live ? now.getTime() : (session.endedAt?.getTime() ?? now.getTime());
      ms += Math.max(0, end - Math.max(start, windowStart));
    }
    if (session.live && session.timeLimitMinutes !== null) {
      const ran = start === undefined ? 0 : Math.max(0, now.getTime() - start);
      ms += Math.max(0, session.timeLimitMinutes * 60_000 - ran);
    }
  }
  return ms / 3_600_000;
}

export interface QuotaRefusal {
  quota: QuotaName;
  used: number;
  limit: number;
  /** A sentence for the user: which limit, their use, and what they can do. */
  message: string;
}

/** Why this launch would go over a limit, or null when it fits them all. */
export function quotaRefusal(
  limits: QuotaLimits,
  usage: QuotaUsage,
  demand: LaunchDemand,
): QuotaRefusal | null {
  const refuse = (quota: QuotaName, message: string): QuotaRefusal => ({
    quota,
    used: usage[quota],
    limit: limits[quota] as number,
    message,
  });
  const { liveSessions, cpus, gpus, sessionHours } = limits;
  if (liveSessions !== null && usage.liveSessions + 1 > liveSessions) {
    return refuse(
      'liveSessions',
      `You have ${count(usage.liveSessions, 'session')} running or waiting; the limit is ${liveSessions}. Stop one to start another.`,
    );
  }
  // A launch that adds none of a resource never goes over on it, even for a user already over a
  // lowered limit (as Slurm's GrpTRES lets a CPU-only job by a GPU limit).
  if (cpus !== null && demand.cpus > 0 && usage.cpus + demand.cpus > cpus) {
    return refuse(
      'cpus',
      `Your sessions hold ${count(usage.cpus, 'CPU')} and this one asks for ${demand.cpus}; the limit is ${cpus}. ` +
        `Ask for at most ${Math.max(0, cpus - usage.cpus)}, or stop a session first.`,
    );
  }
  if (gpus !== null && demand.gpus > 0 && usage.gpus + demand.gpus > gpus) {
    return refuse(
      'gpus',
      `Your sessions hold ${count(usage.gpus, 'GPU')} and this one asks for ${demand.gpus}; the limit is ${gpus}. ` +
        `Ask for at most ${Math.max(0, gpus - usage.gpus)}, or stop a session first.`,
    );
  }
  if (sessionHours !== null && usage.sessionHours + demand.hours > sessionHours) {
    const left = Math.max(0, sessionHours - usage.sessionHours);
    return refuse(
      'sessionHours',
      `Your sessions of the last ${SESSION_HOURS_WINDOW_DAYS} days, with the time your live ones may still run, come to ` +
        `${formatHours(usage.sessionHours)} of your ${formatHours(sessionHours)}; this session asks for ${formatHours(demand.hours)}. ` +
        (left >= 1 / 60
          ? `Ask for at most ${formatHours(left)}, or wait.`
          : 'Wait for older sessions to leave the window.'),
    );
  }
  return null;
}

function count(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** 2.5 → "2.5 h"; 0.25 → "15 min". */
export function formatHours(hours: number): string {
  if (hours < 1) return `${Math.floor(hours * 60)} min`;
  return `${Math.round(hours * 10) / 10} h`;
}
