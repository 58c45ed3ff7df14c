// LaunchSettingsService on a real SQLite file built by the migration, with the real CatalogService
// reading manifests from a temporary folder (rewritten to tighten an app's form) and a stand-in for
// the cluster's partitions.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  NotFoundException,
} from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import { MAX_PRESETS_PER_APP } from '@vizportal/session-domain';
import { SlurmUnavailableError } from '@vizportal/slurm-client';
import { DataSource } from 'typeorm';
import { CatalogService } from '../catalog/catalog.service';
import type { ClusterService } from '../cluster/cluster.service';
import type { AppConfig } from '../config/app-config';
import { CreateLaunchSettings1764360000000 } from '../database/migrations/1764360000000-create-launch-settings';
import { OPEN_SITE_POLICY } from '../policy/site-policy-file';
import { SitePolicy } from '../policy/site-policy.service';
import { LaunchLastValuesEntity } from './entities/launch-last-values.entity';
import { LaunchPresetEntity } from './entities/launch-preset.entity';
import { LaunchSettingsService } from './launch-settings.service';

/** A ParaView-like app whose CPUs go up to maxCpus; `access` limits it to a group. */
function paraviewManifest(maxCpus: number, access?: { groups: string[] }) {
  return JSON.stringify({
    id: 'paraview',
    title: 'ParaView',
    icon: 'science',
    category: 'Visualization',
    ...(access ? { access } : {}),
    form: [
      { id: 'partition', type: 'select', label: 'Partition', options: { fromCluster: 'partitions' } },
      { id: 'cpus', type: 'number', label: 'CPUs', default: 1, min: 1, max: maxCpus, step: 1 },
    ],
    slurm: { partition: { field: 'partition' }, cpus: { field: 'cpus' }, memoryGb: 2, timeHours: 1 },
    desktop: { windowManager: 'openbox', geometry: '1280x800' },
    command: ['paraview'],
  });
}

const alice = { username: 'alice', isAdmin: false, groups: [] };
const bob = { username: 'bob', isAdmin: false, groups: [] };

describe('LaunchSettingsService', () => {
  let dir: string;
  let dataSource: DataSource;
  let catalog: CatalogService;
  let settings: LaunchSettingsService;

  /** Writes the catalog folder and has the catalog read it again, as a restart would. */
  function useCatalog(...manifests: string[]): void {
    manifests.forEach((manifest, index) =>
      writeFileSync(join(dir, 'catalog', `app-${index}.json`), manifest),
    );
    catalog.onModuleInit();
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vizportal-presets-'));
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
    useCatalog(paraviewManifest(16));
    settings = new LaunchSettingsService(
      dataSource.getRepository(LaunchPresetEntity),
      dataSource.getRepository(LaunchLastValuesEntity),
      catalog,
    );
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    if (dataSource.isInitialized) await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the migration matches the entities: TypeORM sees no pending schema change', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('has no last values and no presets for a user who has saved nothing', async () => {
    expect(await settings.settingsFor(alice, 'paraview')).toEqual({
      appId: 'paraview',
      last: null,
      presets: [],
    });
  });

  it('keeps a preset as given and lists presets by name, with no problems while they fit', async () => {
    const savedAt = new Date('2026-12-03T14:05:00Z');
    const saved = await settings.savePreset(
      alice,
      'paraview',
      'quick',
      { partition: 'viz', cpus: 2 },
      savedAt,
    );
    expect(saved).toEqual({
      name: 'quick',
      values: { partition: 'viz', cpus: 2 },
      savedAt: '2026-12-03T14:05:00.000Z',
      problems: [],
    });
    await settings.savePreset(alice, 'paraview', 'big ParaView', { partition: 'viz', cpus: null });
    const { presets } = await settings.settingsFor(alice, 'paraview');
    expect(presets.map((preset) => preset.name)).toEqual(['big ParaView', 'quick']);
    // A null is a field left to its default: it is not kept.
    expect(presets[0]).toMatchObject({ values: { partition: 'viz' }, problems: [] });
  });

  it('refuses values the form does not allow, with the sentence, and saves nothing', async () => {
    const refusal = settings.savePreset(alice, 'paraview', 'huge', { partition: 'viz', cpus: 64 });
    await expect(refusal).rejects.toBeInstanceOf(BadRequestException);
    await expect(refusal).rejects.toMatchObject({
      response: { message: ['CPUs must be at most 16 (saved: 64).'] },
    });
    expect((await settings.settingsFor(alice, 'paraview')).presets).toEqual([]);
  });

  it('reports what no longer fits once the manifest is tightened, and leaves the saved values alone', async () => {
    await settings.savePreset(alice, 'paraview', 'big', { partition: 'viz', cpus: 16 });
    useCatalog(paraviewManifest(8));
    const [preset] = (await settings.settingsFor(alice, 'paraview')).presets;
    expect(preset.values).toEqual({ partition: 'viz', cpus: 16 });
    expect(preset.problems).toEqual(['CPUs must be at most 8 (saved: 16).']);
  });

  it('replaces a preset of the same name, and refuses a new one past the limit with a sentence', async () => {
    for (let index = 0; index < MAX_PRESETS_PER_APP; index++)
      await settings.savePreset(alice, 'paraview', `p${index}`, { cpus: 1 });
    await settings.savePreset(alice, 'paraview', 'p3', { cpus: 3 });
    const refusal = settings.savePreset(alice, 'paraview', 'one too many', { cpus: 1 });
    await expect(refusal).rejects.toBeInstanceOf(ConflictException);
    await expect(refusal).rejects.toThrow(
      `You have ${MAX_PRESETS_PER_APP} presets for ParaView, the most there may be. Delete one to save another.`,
    );
    const { presets } = await settings.settingsFor(alice, 'paraview');
    expect(presets).toHaveLength(MAX_PRESETS_PER_APP);
    expect(presets.find((preset) => preset.name === 'p3')?.values).toEqual({ cpus: 3 });
    // Another user's presets are theirs: bob's limit is untouched.
    await expect(settings.savePreset(bob, 'paraview', 'one too many', { cpus: 1 })).resolves.toBeDefined();
  });

  it("keeps each user's presets and last values to themselves", async () => {
    await settings.savePreset(alice, 'paraview', 'big', { cpus: 16 });
    await settings.recordLastValues('alice', 'paraview', { partition: 'viz', cpus: 4 });
    expect(await settings.settingsFor(bob, 'paraview')).toEqual({
      appId: 'paraview',
      last: null,
      presets: [],
    });
    await expect(settings.deletePreset(bob, 'paraview', 'big')).rejects.toBeInstanceOf(NotFoundException);
    expect((await settings.settingsFor(alice, 'paraview')).presets).toHaveLength(1);
  });

  it('deletes a preset once: the second time there is none', async () => {
    await settings.savePreset(alice, 'paraview', 'big', { cpus: 16 });
    await settings.deletePreset(alice, 'paraview', 'big');
    expect((await settings.settingsFor(alice, 'paraview')).presets).toEqual([]);
    await expect(settings.deletePreset(alice, 'paraview', 'big')).rejects.toThrow(
      'You have no preset "big" for this app',
    );
  });

  it("keeps only the last launch's values", async () => {
    await settings.recordLastValues('alice', 'paraview', { partition: 'viz', cpus: 4 });
    await settings.recordLastValues('alice', 'paraview', { partition: 'viz', cpus: 6 });
    expect((await settings.settingsFor(alice, 'paraview')).last).toEqual({ partition: 'viz', cpus: 6 });
  });

  it('answers as the launch does for an unknown app (404) and one the site limits to others (403)', async () => {
    await expect(settings.settingsFor(alice, 'nope')).rejects.toThrow(
      'There is no app "nope" in the catalog',
    );
    useCatalog(paraviewManifest(16, { groups: ['viz-users'] }));
    await expect(settings.settingsFor(alice, 'paraview')).rejects.toBeInstanceOf(ForbiddenException);
    await expect(settings.savePreset(alice, 'paraview', 'big', { cpus: 2 })).rejects.toBeInstanceOf(
      ForbiddenException,
    );
    await expect(
      settings.settingsFor({ ...alice, groups: ['viz-users'] }, 'paraview'),
    ).resolves.toMatchObject({ appId: 'paraview' });
  });

  it('still lists presets while Slurm is away, saying the partitions cannot be chosen now', async () => {
    await settings.savePreset(alice, 'paraview', 'big', { partition: 'viz', cpus: 16 });
    jest.spyOn(catalog, 'choiceContext').mockRejectedValue(new SlurmUnavailableError('no controller'));
    const [preset] = (await settings.settingsFor(alice, 'paraview')).presets;
    expect(preset.problems).toEqual(['Partition has no options available right now (saved: "viz").']);
  });
});
