// The launcher's saved settings per user and app: the last accepted launch's values, and named
// presets. Every preset is read against the app's current form (choiceProblems, the launch's own
// validateChoices), so a value that no longer fits is reported, never changed.
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { choiceProblems } from '@vizportal/job-templates';
import {
  type FormFieldValue,
  type LaunchPresetDto,
  type LaunchSettingsDto,
  MAX_PRESETS_PER_APP,
} from '@vizportal/session-domain';
import type { Repository } from 'typeorm';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CatalogService } from '../catalog/catalog.service';
import { LaunchLastValuesEntity } from './entities/launch-last-values.entity';
import { LaunchPresetEntity } from './entities/launch-preset.entity';
import { InvalidPresetValuesError, PresetNotFoundError, TooManyPresetsError } from './launch-settings-errors';

@Injectable()
export class LaunchSettingsService {
  constructor(
    @InjectRepository(LaunchPresetEntity) private readonly presets: Repository<LaunchPresetEntity>,
    @InjectRepository(LaunchLastValuesEntity) private readonly lastValues: Repository<LaunchLastValuesEntity>,
    private readonly catalog: CatalogService,
  ) {}

  /** Throws AppNotFoundError (404) or AppNotAllowedError (403) as the launch does. */
  async settingsFor(user: AuthenticatedUser, appId: string): Promise<LaunchSettingsDto> {
    const app = this.catalog.appFor(user, appId);
    const context = await this.catalog.formContextFor(user);
    const [last, presets] = await Promise.all([
      this.lastValues.findOneBy({ username: user.username, appId: app.id }),
      this.presets.findBy({ username: user.username, appId: app.id }),
    ]);
    return {
      appId: app.id,
      last: last?.values ?? null,
      presets: presets
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((preset) => toPresetDto(preset, choiceProblems(app, preset.values, context))),
    };
  }

  /** Saves (or replaces) a preset; values the app's form refuses are refused (400), not saved. */
  async savePreset(
    user: AuthenticatedUser,
    appId: string,
    name: string,
    values: Record<string, unknown>,
    now = new Date(),
  ): Promise<LaunchPresetDto> {
    const app = this.catalog.appFor(user, appId);
    // Checked against the form this user is shown: only their partitions. Slurm away is a 503.
    const problems = choiceProblems(app, values, await this.catalog.choiceContextFor(user));
    if (problems.length > 0) throw new InvalidPresetValuesError(problems);
    const key = { username: user.username, appId: app.id };
    const existing = await this.presets.existsBy({ ...key, name });
    if (!existing && (await this.presets.countBy(key)) >= MAX_PRESETS_PER_APP)
      throw new TooManyPresetsError(app.title);
    const preset = await this.presets.save({ ...key, name, values: given(values), savedAt: now });
    return toPresetDto(preset, []);
  }

  async deletePreset(user: AuthenticatedUser, appId: string, name: string): Promise<void> {
    const { affected } = await this.presets.delete({ username: user.username, appId, name });
    if (!affected) throw new PresetNotFoundError(name);
  }

  /** After a launch was accepted: its validated values become the user's last for the app. */
  async recordLastValues(
    username: string,
    appId: string,
    values: Record<string, FormFieldValue>,
    now = new Date(),
  ): Promise<void> {
    await this.lastValues.save({ username, appId, values, savedAt: now });
  }
}

function toPresetDto(preset: LaunchPresetEntity, problems: string[]): LaunchPresetDto {
  return { name: preset.name, values: preset.values, savedAt: preset.savedAt.toISOString(), problems };
}

/** The values as given, once they passed: a null (a field left to its default) is not kept. */
function given(values: Record<string, unknown>): Record<string, FormFieldValue> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== null && value !== undefined),
  ) as Record<string, FormFieldValue>;
}
