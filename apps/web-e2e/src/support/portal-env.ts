// What global setup hands to the tests and to global teardown: where the portal runs, its folders,
// and the accounts. Passed as a JSON file named by an environment variable (jest runs the setup
// in another context than the tests).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../../../..');
export const SCREENSHOT_DIR = resolve(REPO_ROOT, 'artifacts/screenshots');
export const STATE_ENV = 'VIZPORTAL_E2E_STATE';

export interface Account {
  username: string;
  password: string;
}

export interface PortalEnv {
  baseUrl: string;
  pid: number;
  dir: string;
  stagingDir: string;
  logFile: string;
  admin: Account;
  alice: Account;
  bob: Account;
}

export function readPortalEnv(): PortalEnv {
  const file = process.env[STATE_ENV];
  if (!file)
    throw new Error(
      `${STATE_ENV} is not set: run through jest.e2e.config.js (its globalSetup starts the portal)`,
    );
  return JSON.parse(readFileSync(file, 'utf8')) as PortalEnv;
}

/** Logs in through the API; returns the Cookie header value. */
export async function apiLogin(baseUrl: string, account: Account): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(account),
  });
  if (response.status !== 200)
    throw new Error(`login of ${account.username}: HTTP ${response.status} ${await response.text()}`);
  const cookie = response.headers.getSetCookie().find((value) => value.startsWith('vizportal_session='));
  if (!cookie) throw new Error(`login of ${account.username} set no session cookie`);
  return cookie.split(';')[0];
}

export async function apiJson<T>(
  baseUrl: string,
  cookie: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}
