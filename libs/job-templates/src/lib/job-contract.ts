/**
 * The contract between the portal and a running job: the environment variables the rendered script
 * defines or expects, the files it leaves in the session's staging folder, and what it reports.
 */

/** Environment variable names used by the rendered script. */
export const JOB_ENV = {
  /** Set by the script itself (from the render context), exported to the app. */
  sessionId: 'VIZPORTAL_SESSION_ID',
  /** Set by the script itself: the per-session folder shared between portal and nodes. */
  stagingDir: 'VIZPORTAL_STAGING_DIR',
  /** Set by the script itself: where the readiness report is POSTed. */
  readyUrl: 'VIZPORTAL_READY_URL',
  /**
   * Must be exported into the job by the submitter (e.g. sbatch `--export=...,VIZPORTAL_READY_SECRET`
   * with the value in sbatch's own environment, never on its command line). It is never written into
   * the script; the wrapper reads it, unsets it before starting anything, and sends it from a file.
   */
  readySecret: 'VIZPORTAL_READY_SECRET',
} as const;

/** The variables the submitter has to put into the job's environment; the script sets all others. */
export const JOB_ENV_FROM_SUBMITTER: readonly string[] = [JOB_ENV.readySecret];

/** The readiness secret's format: it travels in an HTTP header, so no spaces or line breaks. */
export const READY_SECRET_PATTERN = /^[A-Za-z0-9._~+/=-]{16,512}$/;

/** Form values reach the app as VIZPORTAL_FIELD_<ID>, e.g. field `cpus` → VIZPORTAL_FIELD_CPUS. */
export function fieldEnvName(fieldId: string): string {
  return `VIZPORTAL_FIELD_${fieldId.toUpperCase()}`;
}

/** Files the job writes into its staging folder. */
export const STAGING_FILES = {
  /** The session's connection record (mode 600): the same JSON that is POSTed to the readiness URL. */
  connection: 'connection.json',
  /** Written when the job ends (mode 644), so the portal can tell how a vanished job ended. */
  end: 'end.json',
} as const;

/** Body of the readiness POST and content of connection.json. */
export interface ReadinessReport {
  /** The node's address (Slurm's NodeAddr, else `hostname -i`); the portal dials Slurm's own NodeAddr. */
  host: string;
  /** The RFB port Xvnc listens on, within VNC_PORT_RANGE. */
  port: number;
  /** One-time VNC password, 8 characters. */
  password: string;
  /** The X display number. */
  display: number;
}

/**
 * Why the job ended, as the wrapper records it in end.json: every reason it writes, and no other.
 * - app-exited: the app exited by itself; exitCode is its status.
 * - terminated: TERM (scancel, node shutdown) before the time limit.
 * - time-limit: TERM at (or after) the job's time limit.
 * - xvnc-failed: no free display/port, or Xvnc would not start.
 * - setup-failed: the node lacks something the wrapper needs (address, temp dir, vncpasswd).
 */
export const END_REASONS = ['app-exited', 'terminated', 'time-limit', 'xvnc-failed', 'setup-failed'] as const;
export type EndReason = (typeof END_REASONS)[number];

export function isEndReason(value: unknown): value is EndReason {
  return typeof value === 'string' && (END_REASONS as readonly string[]).includes(value);
}

export interface EndMarker {
  exitCode: number;
  reason: EndReason;
  /** ISO 8601, UTC, seconds precision. */
  endedAt: string;
}

/** Displays the wrapper tries, in order; the RFB port is 5900 + display. */
export const VNC_DISPLAY_RANGE = { first: 20, last: 119 } as const;
/** The ports a readiness report may name (for the API's range check). */
export const VNC_PORT_RANGE = {
  min: 5900 + VNC_DISPLAY_RANGE.first,
  max: 5900 + VNC_DISPLAY_RANGE.last,
} as const;
