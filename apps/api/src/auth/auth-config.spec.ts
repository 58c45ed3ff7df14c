import type { ConfigService } from '@nestjs/config';
import { authConfigSchema, readAuthConfig } from './auth-config';

const fromEnv = (env: Record<string, unknown>) =>
  readAuthConfig({ get: (key: string) => env[key] } as unknown as ConfigService);

describe('authConfigSchema', () => {
  it('has defaults for a local portal', () => {
    expect(fromEnv({})).toEqual({
      AUTH_MODE: 'local',
      AUTH_HEADER: 'X-Remote-User',
      AUTH_TRUSTED_PROXIES: ['127.0.0.1', '::1'],
      AUTH_ADMIN_USERS: [],
      AUTH_GROUPS_HEADER: '',
      ADMIN_USERNAME: undefined,
      ADMIN_PASSWORD: undefined,
      SESSION_COOKIE_SECURE: false,
      LOGIN_SESSION_TTL_HOURS: 12,
      PASSWORD_HASH_COST: 12,
      LOGIN_RATE_LIMIT_PER_MINUTE: 10,
    });
  });

  it('parses environment strings, and its own output again unchanged (app-config parses first, then AuthModule)', () => {
    const env = {
      AUTH_MODE: 'header',
      AUTH_TRUSTED_PROXIES: ' 10.0.0.0/8, ::ffff:127.0.0.1 ,fd00::/8',
      AUTH_ADMIN_USERS: 'carol,dave',
      ADMIN_USERNAME: '',
      ADMIN_PASSWORD: '',
      SESSION_COOKIE_SECURE: 'true',
      LOGIN_SESSION_TTL_HOURS: '1.5',
      PASSWORD_HASH_COST: '10',
    };
    const once = authConfigSchema.parse(env);
    expect(once).toMatchObject({
      AUTH_TRUSTED_PROXIES: ['10.0.0.0/8', '::ffff:127.0.0.1', 'fd00::/8'],
      AUTH_ADMIN_USERS: ['carol', 'dave'],
      ADMIN_USERNAME: undefined,
      SESSION_COOKIE_SECURE: true,
      LOGIN_SESSION_TTL_HOURS: 1.5,
      PASSWORD_HASH_COST: 10,
    });
    expect(authConfigSchema.parse(once)).toEqual(once);
    expect(fromEnv(once)).toEqual(once);
    expect(authConfigSchema.parse({ SESSION_COOKIE_SECURE: 'false' }).SESSION_COOKIE_SECURE).toBe(false);
  });

  it('names every bad variable', () => {
    expect(() =>
      fromEnv({
        AUTH_MODE: 'ldap',
        AUTH_TRUSTED_PROXIES: '127.0.0.1,proxy.example',
        AUTH_ADMIN_USERS: 'Root',
        PASSWORD_HASH_COST: '40',
        SESSION_COOKIE_SECURE: 'maybe',
      }),
    ).toThrow(
      /AUTH_MODE[\s\S]*AUTH_TRUSTED_PROXIES\.1: must be IP addresses or CIDRs[\s\S]*AUTH_ADMIN_USERS\.0: must be a Unix account name[\s\S]*SESSION_COOKIE_SECURE[\s\S]*PASSWORD_HASH_COST/,
    );
  });

  it('wants ADMIN_USERNAME and ADMIN_PASSWORD together, and a password of 8 characters or more', () => {
    expect(() => fromEnv({ ADMIN_PASSWORD: 'long-enough' })).toThrow(
      'ADMIN_USERNAME and ADMIN_PASSWORD must be set together',
    );
    expect(() => fromEnv({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'short' })).toThrow(
      /ADMIN_PASSWORD: must be at least 8 characters/,
    );
  });
});
