// The preset routes over HTTP, with the real service on a SQLite file built by the migration, the
// real CatalogService on a temporary manifest folder and the real audit interceptor (its store a
// stand-in): who sees what, the 400s with their sentences, a tightened form's problems, the audit.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { getRepositoryToken } from '@nestjs/typeorm';
import { PRESET_NAME_RULE } from '@vizportal/session-domain';
import type { Request } from 'express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditInterceptor } from '../audit/audit.interceptor';
import { AuditService } from '../audit/audit.service';
import { AuthService } from '../auth/auth.service';
import type { AuthenticatedRequest } from '../auth/authenticated-user';
import { CatalogService } from '../catalog/catalog.service';
import type { ClusterService } from '../cluster/cluster.service';
import type { AppConfig } from '../config/app-config';
import { CreateLaunchSettings1764360000000 } from '../database/migrations/1764360000000-create-launch-settings';
import { OPEN_SITE_POLICY } from '../policy/site-policy-file';
import { SitePolicy } from '../policy/site-policy.service';
import { LaunchLastValuesEntity } from './entities/launch-last-values.entity';
import { LaunchPresetEntity } from './entities/launch-preset.entity';
import { LaunchSettingsController } from './launch-settings.controller';
import { LaunchSettingsService } from './launch-settings.service';

const desktop = (maxCpus: number) =>
  JSON.stringify({
    id: 'desktop',
    title: 'Desktop',
    icon: 'desktop_windows',
    category: 'Desktops',
    form: [
      { id: 'partition', type: 'select', label: 'Partition', options: { fromCluster: 'partitions' } },
      { id: 'cpus', type: 'number', label: 'CPUs', default: 1, min: 1, max: maxCpus, step: 1 },
    ],
    slurm: { partition: { field: 'partition' }, cpus: { field: 'cpus' }, memoryGb: 2, timeHours: 1 },
    desktop: { windowManager: 'openbox', geometry: '1280x800' },
    command: ['xterm'],
  });

describe('LaunchSettingsController', () => {
  let dir: string;
  let dataSource: DataSource;
  let catalog: CatalogService;
  let app: INestApplication;
  const recorded: { action: string; actor: string; outcome: string; details: Record<string, unknown> }[] = [];

  const useCatalog = (manifest: string) => {
    writeFileSync(join(dir, 'catalog', 'desktop.json'), manifest);
    catalog.onModuleInit();
  };
  /** A request as `username` (what AuthGuard leaves on a logged-in request). */
  const as = (username: string) => ({
    get: (path: string) => request(app.getHttpServer()).get(path).set('x-test-user', username),
    put: (path: string, body: object) =>
      request(app.getHttpServer()).put(path).set('x-test-user', username).send(body),
    delete: (path: string) => request(app.getHttpServer()).delete(path).set('x-test-user', username),
  });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vizportal-presets-http-'));
    mkdirSync(join(dir, 'catalog'));
    dataSource = new DataSource({
      type: 'sqlite',
      database: join(dir, 'test.sqlite'),
      entities: [LaunchPresetEntity, LaunchLastValuesEntity],
      migrations: [CreateLaunchSettings1764360000000],
      migrationsRun: true,
    });
    await dataSource.initialize();
    const config = { get: () => join(dir, 'catalog') } as unknown as ConfigService<AppConfig, true>;
    catalog = new CatalogService({} as ClusterService, new SitePolicy(OPEN_SITE_POLICY), config);
    jest
      .spyOn(catalog, 'choiceContext')
      .mockResolvedValue({ partitions: [{ name: 'viz', isDefault: true, maxCpusPerNode: 32 }] });
    jest.spyOn(catalog['logger'], 'log').mockImplementation(() => undefined);
    useCatalog(desktop(16));
    recorded.length = 0;

    const moduleRef = await Test.createTestingModule({
      controllers: [LaunchSettingsController],
      providers: [
        LaunchSettingsService,
        { provide: CatalogService, useValue: catalog },
        {
          provide: getRepositoryToken(LaunchPresetEntity),
          useValue: dataSource.getRepository(LaunchPresetEntity),
        },
        {
          provide: getRepositoryToken(LaunchLastValuesEntity),
          useValue: dataSource.getRepository(LaunchLastValuesEntity),
        },
        {
          provide: AuditService,
          useValue: { record: async (event: (typeof recorded)[number]) => void recorded.push(event) },
        },
        { provide: AuthService, useValue: { clientAddress: () => '127.0.0.1' } },
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.use((req: Request & AuthenticatedRequest, _res: unknown, next: () => void) => {
      req.user = { username: String(req.headers['x-test-user']), isAdmin: false, groups: [] };
      next();
    });
    await app.init();
  });

  afterEach(async () => {
    await app.close();
    jest.restoreAllMocks();
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("saves alice's preset and shows it to her; bob neither sees it nor can delete it", async () => {
    const saved = await as('alice').put('/apps/desktop/presets/big%20one', {
      values: { partition: 'viz', cpus: 8 },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      name: 'big one',
      values: { partition: 'viz', cpus: 8 },
      problems: [],
    });

    expect((await as('alice').get('/apps/desktop/settings').expect(200)).body.presets).toEqual([saved.body]);
    expect((await as('bob').get('/apps/desktop/settings').expect(200)).body).toEqual({
      appId: 'desktop',
      last: null,
      presets: [],
    });
    const refused = await as('bob').delete('/apps/desktop/presets/big%20one').expect(404);
    expect(refused.body.message).toBe('You have no preset "big one" for this app');
    expect((await as('alice').get('/apps/desktop/settings')).body.presets).toHaveLength(1);

    await as('alice').delete('/apps/desktop/presets/big%20one').expect(204);
    expect((await as('alice').get('/apps/desktop/settings')).body.presets).toEqual([]);
  });

  it('refuses a preset with an out-of-range value with 400 and the sentence, and keeps nothing', async () => {
    const refused = await as('alice')
      .put('/apps/desktop/presets/huge', { values: { cpus: 64 } })
      .expect(400);
    expect(refused.body.message).toEqual(['CPUs must be at most 16 (saved: 64).']);
    expect((await as('alice').get('/apps/desktop/settings')).body.presets).toEqual([]);
  });

  it('reports the problem of a preset saved before the manifest was tightened', async () => {
    await as('alice')
      .put('/apps/desktop/presets/big', { values: { partition: 'viz', cpus: 16 } })
      .expect(200);
    useCatalog(desktop(8));
    const [preset] = (await as('alice').get('/apps/desktop/settings').expect(200)).body.presets;
    expect(preset).toMatchObject({
      values: { partition: 'viz', cpus: 16 },
      problems: ['CPUs must be at most 8 (saved: 16).'],
    });
  });

  it.each([
    ['too long', 'x'.repeat(61)],
    ['a character outside the rule', 'big%24'],
    ['a space at the end', 'big%20'],
  ])('refuses a name with %s with 400 and the rule', async (_case, name) => {
    const refused = await as('alice').put(`/apps/desktop/presets/${name}`, { values: {} }).expect(400);
    expect(refused.body.message).toEqual([PRESET_NAME_RULE]);
  });

  it('accepts letters of any script, digits and - _ . ( ) in a name', async () => {
    const name = 'Große Szene_2 (v1.5)-a';
    const saved = await as('alice').put(`/apps/desktop/presets/${encodeURIComponent(name)}`, { values: {} });
    expect(saved.status).toBe(200);
    expect(saved.body.name).toBe(name);
  });

  it('answers 404 with a sentence for an app not in the catalog', async () => {
    const refused = await as('alice').get('/apps/nope/settings').expect(404);
    expect(refused.body.message).toBe('There is no app "nope" in the catalog');
  });

  it('audits a save and a delete with the app and the name, and a refused save with the reason', async () => {
    await as('alice')
      .put('/apps/desktop/presets/big', { values: { cpus: 4 } })
      .expect(200);
    await as('alice')
      .put('/apps/desktop/presets/big', { values: { cpus: 40 } })
      .expect(400);
    await as('alice').delete('/apps/desktop/presets/big').expect(204);
    expect(recorded).toEqual([
      expect.objectContaining({
        action: 'preset.save',
        actor: 'alice',
        outcome: 'ok',
        details: { appId: 'desktop', name: 'big', values: { cpus: 4 } },
      }),
      expect.objectContaining({
        action: 'preset.save',
        outcome: 'refused',
        details: expect.objectContaining({ reason: 'CPUs must be at most 16 (saved: 40).', status: 400 }),
      }),
      expect.objectContaining({
        action: 'preset.delete',
        outcome: 'ok',
        details: { appId: 'desktop', name: 'big' },
      }),
    ]);
  });
});
