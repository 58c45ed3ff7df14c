// The contract of the launcher's saved settings (GET /api/apps/:appId/settings, PUT and DELETE
// /api/apps/:appId/presets/:name): the values of the user's last accepted launch of an app, and
// their named presets, each read again against the app's current form.
import type { FormFieldValue } from './catalog.dto';

/** 1 to 60 letters, digits, spaces and - _ . ( ); no space at either end. */
export const PRESET_NAME_PATTERN = /^(?! )[\p{L}\p{N} ._()-]{1,60}(?<! )$/u;
export const PRESET_NAME_RULE = 'A preset name is 1 to 60 letters, digits, spaces or - _ . ( )';
/** Presets one user may keep for one app. */
export const MAX_PRESETS_PER_APP = 20;

export interface LaunchPresetDto {
  name: string;
  values: Record<string, FormFieldValue>;
  /** ISO 8601. */
  savedAt: string;
  /**
   * One sentence per saved value the app's current form (or the cluster) would refuse, such as
   * "CPUs must be at most 16 (saved: 64)."; [] when the preset can be launched as it is.
   */
  problems: string[];
}

export interface LaunchSettingsDto {
  appId: string;
  /** The values of the user's last accepted launch of this app, as they were; null before the first. */
  last: Record<string, FormFieldValue> | null;
  /** By name. */
  presets: LaunchPresetDto[];
}
