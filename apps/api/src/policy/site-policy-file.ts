// The site's policy file (SITE_POLICY_FILE, YAML): which partitions are limited to whom, and the
// quotas on launching (defaults, per group, per user). Validated at start-up like the manifests: a
// typo stops the API with the field named, rather than leaving a limit silently unenforced.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { DEFAULT_IDLE_LIMITS, type IdleLimits } from '@vizportal/session-domain';
import type { AccessRule, QuotaOverride, QuotaPolicy } from '@vizportal/site-policy';
import { GROUP_NAME_PATTERN } from '../auth/account-rules';

const NAME = GROUP_NAME_PATTERN;
const name = z.string().regex(NAME, 'must be a Unix user or group name');

const accessRule = z.object({ groups: z.array(name).default([]), users: z.array(name).default([]) }).strict();

const limit = z.number().int().min(0).nullable();
const quotaOverride = z
  .object({
    liveSessions: limit.optional(),
    cpus: limit.optional(),
    gpus: limit.optional(),
    sessionHours: z.number().min(0).nullable().optional(),
  })
  .strict();

const minutes = z.number().int().min(0);
// Until the proxy reads the desktop's input (RFB client messages), every desktop would look idle to
// the no-input clock, working users' too: refused, rather than stopping them.
const noInputMinutes = minutes.refine((value) => value === 0, {
  message:
    'must be 0 in this version: the VNC proxy does not yet see keyboard and mouse input, so every desktop would look idle',
});
const idleOverride = z
  .object({ disconnectedMinutes: minutes.optional(), noInputMinutes: noInputMinutes.optional() })
  .strict();
const idleSection = z
  .object({
    disconnectedMinutes: minutes.default(DEFAULT_IDLE_LIMITS.disconnectedMinutes),
    noInputMinutes: noInputMinutes.default(DEFAULT_IDLE_LIMITS.noInputMinutes),
    warningMinutes: minutes.default(DEFAULT_IDLE_LIMITS.warningMinutes),
    /** App id → its own limits (a long ParaView render watched from afar, a licence to free sooner). */
    apps: z
      .record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be an app id'), idleOverride)
      .default({}),
  })
  .strict();

export const sitePolicyFileSchema = z
  .object({
    /** Partition name → who may launch into it; a partition not named here is open to all. */
    partitions: z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$/), accessRule).default({}),
    quotas: z
      .object({
        defaults: quotaOverride.default({}),
        groups: z.record(name, quotaOverride).default({}),
        users: z.record(name, quotaOverride).default({}),
      })
      .strict()
      .default({ defaults: {}, groups: {}, users: {} }),
    /** Idle auto-stop: the site's limits in minutes (0: off) and per-app overrides. */
    idle: idleSection.default({ ...DEFAULT_IDLE_LIMITS, apps: {} }),
  })
  .strict();

export interface SitePolicyFile {
  partitions: Readonly<Record<string, AccessRule>>;
  quotas: QuotaPolicy & { users: Readonly<Record<string, QuotaOverride>> };
  idle: IdleLimits & { apps: Readonly<Record<string, Partial<Omit<IdleLimits, 'warningMinutes'>>>> };
}

/** No file: every partition open, no quota. */
export const OPEN_SITE_POLICY: SitePolicyFile = {
  partitions: {},
  quotas: { defaults: {}, groups: {}, users: {} },
  idle: { ...DEFAULT_IDLE_LIMITS, apps: {} },
};

export function loadSitePolicyFile(path: string): SitePolicyFile {
  if (path === '') return OPEN_SITE_POLICY;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`SITE_POLICY_FILE ${path} cannot be read: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parse(text) ?? {};
  } catch (error) {
    throw new Error(`SITE_POLICY_FILE ${path} is not valid YAML: ${(error as Error).message}`);
  }
  const result = sitePolicyFileSchema.safeParse(raw);
  if (!result.success) {
    // A bad record key (a group or partition name) carries the name rule's own message inside.
    const problems = result.error.issues.map((issue) => {
      const message =
        issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
      return `  ${issue.path.join('.') || '(top)'}: ${message}`;
    });
    throw new Error(`SITE_POLICY_FILE ${path} is not valid:\n${problems.join('\n')}`);
  }
  return result.data;
}
