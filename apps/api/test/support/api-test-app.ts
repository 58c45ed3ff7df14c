// The whole API (AppModule, as main.ts starts it) on a fresh SQLite file and staging folder, on a
// real port, for the integration tests against the local Slurm cluster.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createAccounts, login as portalLogin } from '@vizportal/portal-harness';
import { Logger as JsonLogger } from 'nestjs-pino';
import pino from 'pino';
import { configureApp } from '../../src/configure-app';
import { endJobsUnder } from '../faults/fault-helpers';
import { LOG_DESTINATION } from '../../src/logging/logging.module';

export const REPO_CATALOG = resolve(__dirname, '../../../../catalog');
/** The WebSocket URL of a path on a test API (the VNC proxy, Socket.IO). */
export const wsUrl = (baseUrl: string, path: string) => baseUrl.replace(/^http/, 'ws') + path;

export const TEST_ADMIN = { username: 'admin', password: 'admin-password-for-tests' };

export interface ApiTestApp {
  app: INestApplication;
  baseUrl: string;
  dir: string;
  close(): Promise<void>;
}

export interface ApiTestAppOptions {
  /** Write the API's JSON log (request lines and every Nest Logger line) to this file; else logs are quiet. */
  jsonLogFile?: string;
}

let firstApiEnv: string | undefined;

/** env overrides the test defaults; it is applied to process.env, which the API's config reads. */
export async function startApiTestApp(
  env: Record<string, string> = {},
  dir?: string,
  options: ApiTestAppOptions = {},
): Promise<ApiTestApp> {
  const root = dir ?? mkdtempSync(join(tmpdir(), 'vizportal-api-'));
  // Jobs run as alice or bob when SLURM_SUBMIT_AS=user: they must be able to reach their staging folder.
  chmodSync(root, 0o711);
  const apiEnv: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_PATH: join(root, 'vizportal.sqlite'),
    STAGING_DIR: join(root, 'sessions'),
    PASSWORD_HASH_COST: '4',
    CATALOG_DIR: REPO_CATALOG,
    ADMIN_USERNAME: TEST_ADMIN.username,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    // The API runs as root here: in service mode its jobs run as the dev cluster's unprivileged account.
    SLURM_JOB_ACCOUNT: 'vizportal',
    POLL_INTERVAL_FAST_MS: '300',
    POLL_INTERVAL_SLOW_MS: '1000',
    // The JSON request log stays off unless a test reads it.
    LOG_LEVEL: options.jsonLogFile ? 'debug' : 'silent',
    ...env,
  };
  // AppModule reads the environment when its decorators run, once per test file (jest's module
  // registry): a second API with another environment in the same file would silently run on the first's.
  const envKey = JSON.stringify(apiEnv);
  if (firstApiEnv !== undefined && firstApiEnv !== envKey) {
    throw new Error(
      'startApiTestApp: one API environment per test file; start another environment in its own file',
    );
  }
  firstApiEnv = envKey;
  Object.assign(process.env, apiEnv);
  // Imported only now, after the environment is set.
  const { AppModule } = await import('../../src/app.module');
  const builder = Test.createTestingModule({ imports: [AppModule] });
  if (options.jsonLogFile)
    builder
      .overrideProvider(LOG_DESTINATION)
      .useValue(pino.destination({ dest: options.jsonLogFile, sync: true }));
  const moduleRef = await builder.compile();
  const app = options.jsonLogFile
    ? moduleRef.createNestApplication({ bufferLogs: true })
    : moduleRef.createNestApplication({ logger: ['error', 'warn'] });
  if (options.jsonLogFile) app.useLogger(app.get(JsonLogger));
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    dir: root,
    close: async () => {
      await app.close();
      if (dir) return;
      // Whatever a test left running would write into the folder while it is removed. Slurm away
      // (a fault test that could not restore it) must not hide the test's own failure.
      await endJobsUnder(root).catch((error: unknown) => console.warn(`api test app: ${String(error)}`));
      rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    },
  };
}

/** Logs in through the API and returns the Cookie header value. */
export function login(baseUrl: string, username: string, password: string): Promise<string> {
  return portalLogin(baseUrl, { username, password });
}

/** Creates (as the test admin) the portal accounts of the cluster's Unix users alice and bob. */
export async function createUsers(baseUrl: string, names: string[]): Promise<Record<string, string>> {
  const accounts = await createAccounts(baseUrl, TEST_ADMIN, names, {
    passwordFor: (username) => `${username}-password-for-tests`,
  });
  const cookies: Record<string, string> = {};
  for (const account of accounts) cookies[account.username] = await portalLogin(baseUrl, account);
  return cookies;
}
