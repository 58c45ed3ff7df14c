// What global setup hands to the tests and to global teardown: where the portal runs, its folders,
// and the accounts. Passed as a JSON file named by an environment variable (jest runs the setup
// in another context than the tests).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Account } from '@vizportal/portal-harness';

export type { Account };

export const REPO_ROOT = resolve(__dirname, '../../../..');
export const SCREENSHOT_DIR = resolve(REPO_ROOT, 'artifacts/screenshots');
export const STATE_ENV = 'VIZPORTAL_E2E_STATE';
/** The global under which global setup leaves the running API (a BuiltApi) for global teardown. */
export const E2E_API_GLOBAL = '__vizportalE2eApi';

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
