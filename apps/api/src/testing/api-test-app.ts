// The whole API (AppModule, as main.ts starts it) on a fresh SQLite file and staging folder, on a
// real port, for the integration tests against the local Slurm cluster.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { configureApp } from '../configure-app';

export interface ApiTestApp {
  app: INestApplication;
  baseUrl: string;
  dir: string;
  close(): Promise<void>;
}

/** env overrides the test defaults; it is applied to process.env, which the API's config reads. */
export async function startApiTestApp(env: Record<string, string> = {}, dir?: string): Promise<ApiTestApp> {
  const root = dir ?? mkdtempSync(join(tmpdir(), 'vizportal-api-'));
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_PATH: join(root, 'vizportal.sqlite'),
    STAGING_DIR: join(root, 'sessions'),
    PASSWORD_HASH_COST: '4',
    ...env,
  });
  // Imported after the environment is set: AppModule reads it when its decorators run.
  const { AppModule } = await import('../app.module');
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    dir: root,
    close: async () => {
      await app.close();
      if (!dir) rmSync(root, { recursive: true, force: true });
    },
  };
}
