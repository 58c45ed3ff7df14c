/**
 * The Slurm request an app makes for a given set of form values: each setting fixed in the manifest
 * or taken from the field it is bound to, in the units sbatch wants.
 */
import type { AppManifest, FieldBinding } from './app-manifest.schema';

export interface JobResources {
  partition: string;
  cpus: number;
  memoryMb: number;
  timeMinutes: number;
  /** GPUs as a gres count; 0 asks for none. */
  gpus: number;
  account?: string;
  qos?: string;
}

export type ChoiceValue = string | number | boolean;

/** The value of a setting: its fixed value, or the value of the field it is bound to. */
export function settingValue<T>(
  setting: T | FieldBinding,
  values: Readonly<Record<string, ChoiceValue>>,
): T | ChoiceValue | undefined {
  return typeof setting === 'object' && setting !== null && 'field' in setting
    ? values[setting.field]
    : setting;
}

/** Assumes `values` passed validation; the numbers are rounded to what Slurm accepts. */
export function resolveJobResources(
  manifest: AppManifest,
  values: Readonly<Record<string, ChoiceValue>>,
): JobResources {
  const { slurm } = manifest;
  const optional = (setting: typeof slurm.account) =>
    setting === undefined ? undefined : String(settingValue(setting, values));
  const resources: JobResources = {
    partition: String(settingValue(slurm.partition, values)),
    cpus: Number(settingValue(slurm.cpus, values)),
    memoryMb: Math.max(1, Math.round(Number(settingValue(slurm.memoryGb, values)) * 1024)),
    timeMinutes: Math.max(1, Math.round(Number(settingValue(slurm.timeHours, values)) * 60)),
    gpus: slurm.gpus === undefined ? 0 : Number(settingValue(slurm.gpus, values)),
  };
  const account = optional(slurm.account);
  const qos = optional(slurm.qos);
  if (account !== undefined) resources.account = account;
  if (qos !== undefined) resources.qos = qos;
  return resources;
}

/** 90 → "1 h 30 min", for people. */
export function formatMinutes(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
