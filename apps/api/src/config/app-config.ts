// The API's configuration: every setting comes from an environment variable, is validated once at
// start-up, and has a default that works on the local dev cluster (tools/dev-cluster).
import { z } from 'zod';
import { VNC_PORT_RANGE } from '@vizportal/job-templates';
import { authConfigSchema } from '../auth/auth-config';

const positiveInt = z.coerce.number().int().positive();
const UNIX_ACCOUNT = /^[a-z_][a-z0-9_-]*[$]?$/;

export const appConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: positiveInt.max(65535).default(8080),
  /** The SQLite file; its folder is created at start-up. */
  DATABASE_PATH: z.string().min(1).default('./data/vizportal.sqlite'),
  /** postgres://user:password@host/db: use PostgreSQL instead of SQLite (sites with several API instances). */
  DATABASE_URL: z
    .union([z.literal(''), z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL')])
    .default(''),
  /** Per-session staging folders (script, output log, connection.json); must be shared with the nodes. */
  STAGING_DIR: z.string().min(1).default('./data/sessions'),
  /** Where the built web app lives; served on the API's port in production. */
  WEB_DIST_DIR: z.string().min(1).default('./dist/apps/web/browser'),
  /** Every Slurm command is killed after this long and reported as Slurm being unavailable. */
  SLURM_COMMAND_TIMEOUT_MS: positiveInt.default(15000),
  /** `service`: jobs run as one service account. `user`: sbatch/scancel run via `sudo -n -u <user>`. */
  SLURM_SUBMIT_AS: z.enum(['service', 'user']).default('service'),
  /**
   * With SLURM_SUBMIT_AS=service, the Unix account every job runs as (sbatch/scancel via `sudo -n -u`);
   * empty: the API's own account. Never root: an API running as root needs this or user mode.
   */
  SLURM_JOB_ACCOUNT: z
    .union([
      z.literal(''),
      z
        .string()
        .regex(UNIX_ACCOUNT, 'must be a Unix account name')
        .refine((name) => name !== 'root', 'must not be root: no job runs as root'),
    ])
    .default(''),
  /** Folder holding sbatch, squeue, …; empty means they are found on PATH. */
  SLURM_BIN_DIR: z.string().default(''),
  /** How long cluster facts (partitions, nodes) are cached for /api/health and the launcher. */
  CLUSTER_CACHE_MS: z.coerce.number().int().min(0).default(5000),
  /** The site's policy (YAML): partitions limited to groups or users, quotas. Empty: all open, no quotas. */
  SITE_POLICY_FILE: z.string().default(''),
  /** Audit events older than this are pruned (hourly). */
  AUDIT_RETENTION_DAYS: positiveInt.default(365),
  /**
   * The most "Extend" may add to one session's time limit, in all, in hours (never past its
   * partition's MaxTime); 0 turns Extend off. Raising a running job's limit takes a Slurm operator:
   * see the admin guide.
   */
  /** The user is warned this long before a session's time limit (banner, notification, Extend); 0: never. */
  SESSION_TIME_WARNING_MINUTES: z.coerce.number().int().min(0).max(1440).default(10),
  SESSION_EXTEND_MAX_HOURS: z.coerce.number().min(0).max(8760).default(8),
  /** How often running sessions are checked against the site's idle limits (SITE_POLICY_FILE `idle`). */
  IDLE_CHECK_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** The app manifests (YAML), loaded and validated at start-up. */
  CATALOG_DIR: z.string().min(1).default('./catalog'),
  /** How jobs on the nodes reach the portal's readiness endpoint; empty means http://127.0.0.1:PORT. */
  READINESS_BASE_URL: z.union([z.literal(''), z.url()]).default(''),
  /** Poller interval while a session is submitting or starting (users are waiting for it). */
  POLL_INTERVAL_FAST_MS: positiveInt.default(1000),
  /** Poller interval while every live session is queued or running: what Slurm changes on its own
   *  (a job ends, is cancelled, a node fails) reaches the browser within one such tick. One squeue
   *  every 2 s is light for slurmctld; with 5 s, bench/state-change-latency.ts missed its 1.5 s median. */
  POLL_INTERVAL_SLOW_MS: positiveInt.default(2000),
  /** A job that runs but has not reported its desktop after this long ends failed. */
  READINESS_TIMEOUT_SECONDS: positiveInt.default(300),
  /** A job Slurm no longer knows, with no end marker, ends after this long; never on the first miss. */
  VANISH_GRACE_SECONDS: positiveInt.default(120),
  /** The proxy dials only node addresses (Slurm's NodeAddr) that match this; readiness reports too. */
  VNC_HOST_PATTERN: z
    .string()
    .default('^127\\.0\\.0\\.1$')
    .refine(isRegExp, { message: 'must be a valid regular expression' }),
  /** The ports a desktop may report; by default exactly those the job's wrapper picks from. */
  VNC_PORT_MIN: positiveInt.max(65535).default(VNC_PORT_RANGE.min),
  VNC_PORT_MAX: positiveInt.max(65535).default(VNC_PORT_RANGE.max),
  /** Lifetime of the single-use token from POST /api/sessions/:id/connect. */
  VNC_CONNECT_TOKEN_TTL_SECONDS: positiveInt.default(30),
  /** Open proxy connections to one session at once: the desktop in a few tabs or windows. */
  VNC_MAX_CONNECTIONS_PER_SESSION: positiveInt.default(4),
  /** Open proxy connections of one user at once, across sessions: a few desktops, each in a few tabs. */
  VNC_MAX_CONNECTIONS_PER_USER: positiveInt.default(16),
  /**
   * The largest WebSocket message the proxy takes from a browser; a larger one closes the connection
   * (1009) before any of it reaches the desktop. noVNC never sends more than 10 KiB at once (it splits
   * a long clipboard), so 1 MiB is ample, and bounds what one connection makes the API buffer. At
   * least 64 KiB, so that a slip of units cannot cut off every desktop.
   */
  VNC_MAX_MESSAGE_BYTES: positiveInt.min(64 * 1024).default(1024 * 1024),
  /**
   * The proxy pings every browser this often and drops one that did not answer the ping before: a
   * laptop gone to sleep, a network gone, would otherwise hold its connection (and its slot under
   * the limits above) until TCP gives up, which on an idle desktop may take hours.
   */
  VNC_HEARTBEAT_SECONDS: positiveInt.default(30),
  /** GET /api/metrics (Prometheus text format) is served; false answers 404 there. */
  METRICS_ENABLED: z.union([z.boolean(), z.stringbool()]).default(true),
  /** When set, /api/metrics requires `Authorization: Bearer <token>`; empty: public (firewall it instead). */
  METRICS_TOKEN: z.string().default(''),
  /** Lowest level written to the JSON log on stdout; `silent` writes nothing. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ...authConfigSchema.shape,
});

function isRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

export type AppConfig = z.infer<typeof appConfigSchema>;

/** Used by ConfigModule: refuses to start with a message that names each bad variable. */
export function validateAppConfig(env: Record<string, unknown>): AppConfig {
  const result = appConfigSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration in the environment:\n${problems.join('\n')}`);
  }
  return result.data;
}

/**
 * Used by ConfigModule after validateAppConfig: refuses to start when jobs would run as root, that
 * is as the API's own account (SLURM_SUBMIT_AS=service, no SLURM_JOB_ACCOUNT) while that is root.
 */
export function refuseJobsAsRoot(config: AppConfig, apiUid = process.getuid?.()): AppConfig {
  if (config.SLURM_SUBMIT_AS === 'service' && config.SLURM_JOB_ACCOUNT === '' && apiUid === 0) {
    throw new Error(
      'Invalid configuration in the environment:\n' +
        "  SLURM_SUBMIT_AS: 'service' with no SLURM_JOB_ACCOUNT runs every job as the API's own account, here root, " +
        "so every user's desktop would be a root shell. Set SLURM_SUBMIT_AS=user (jobs run as their owners), " +
        'set SLURM_JOB_ACCOUNT to an unprivileged account, or run the API as one.',
    );
  }
  return config;
}
