// The auth settings, as a zod sub-schema of the app's config: app-config.ts spreads
// `authConfigSchema.shape` into its own schema. Every field accepts both the raw environment string
// and its already-parsed value, so parsing twice (app config, then AUTH_CONFIG here) is harmless.
import type { ConfigService } from '@nestjs/config';
import { z } from 'zod';
import { isIpOrCidr } from './trusted-proxies';
import { USERNAME_PATTERN, USERNAME_RULE } from './account-rules';

/** `a, b,,c` → ['a', 'b', 'c']; an array passes through unchanged. */
const commaList = (item: z.ZodString) =>
  z.preprocess(
    (value) =>
      typeof value === 'string'
        ? value
            .split(',')
            .map((part) => part.trim())
            .filter((part) => part !== '')
        : value,
    z.array(item),
  );

/** An empty variable (`ADMIN_PASSWORD=`) counts as unset. */
const optional = (schema: z.ZodString) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const username = z.string().regex(USERNAME_PATTERN, `must be ${USERNAME_RULE}`);

const flag = z.union([z.boolean(), z.stringbool()]);

export const authConfigSchema = z.object({
  /** `local`: accounts and passwords in the database. `header`: a trusted reverse proxy (OIDC) names the user. */
  AUTH_MODE: z.enum(['local', 'header']).default('local'),
  /** AUTH_MODE=header: the request header carrying the user name. */
  AUTH_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name')
    .default('X-Remote-User'),
  /**
   * Our reverse proxies' peer addresses (IPs or CIDRs, comma-separated). AUTH_MODE=header: the header
   * is believed only from these. Both modes: their X-Forwarded-For names the client for the login limit.
   */
  AUTH_TRUSTED_PROXIES: commaList(
    z.string().refine(isIpOrCidr, 'must be IP addresses or CIDRs, comma-separated'),
  ).default(['127.0.0.1', '::1']),
  /** AUTH_MODE=header: the request header carrying the user's groups (comma- or space-separated); empty: none. */
  AUTH_GROUPS_HEADER: z
    .union([z.literal(''), z.string().regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name')])
    .default(''),
  /** AUTH_MODE=header: the users who are administrators (comma-separated). */
  AUTH_ADMIN_USERS: commaList(username).default([]),
  /** AUTH_MODE=local: with ADMIN_PASSWORD, creates this administrator at start-up if the account does not exist. */
  ADMIN_USERNAME: optional(username),
  ADMIN_PASSWORD: optional(z.string().min(8, 'must be at least 8 characters')),
  /** Marks the login cookie `Secure`; set it whenever the portal is reached over HTTPS. */
  SESSION_COOKIE_SECURE: flag.default(false),
  /** A login lasts this long (absolute, not sliding). */
  LOGIN_SESSION_TTL_HOURS: z.coerce.number().positive().max(720).default(12),
  /** bcrypt cost for new password hashes; each step doubles the work. */
  PASSWORD_HASH_COST: z.coerce.number().int().min(4).max(16).default(12),
  /** Login attempts allowed per client address (behind a trusted proxy, from X-Forwarded-For) per minute. */
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(10),
});

export type AuthConfig = z.infer<typeof authConfigSchema>;

/** Injection token for the parsed AuthConfig. */
export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

/** Reads the auth variables through ConfigService (validated config first, then the environment). */
export function readAuthConfig(config: ConfigService): AuthConfig {
  const raw = Object.fromEntries(
    Object.keys(authConfigSchema.shape).map((key) => [key, config.get<unknown>(key)]),
  );
  const result = authConfigSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid auth configuration in the environment:\n${problems.join('\n')}`);
  }
  const settings = result.data;
  if ((settings.ADMIN_USERNAME === undefined) !== (settings.ADMIN_PASSWORD === undefined)) {
    // Checked here rather than with a refinement, which `authConfigSchema.shape` would drop.
    throw new Error(
      'Invalid auth configuration in the environment:\n  ADMIN_USERNAME and ADMIN_PASSWORD must be set together',
    );
  }
  return settings;
}
