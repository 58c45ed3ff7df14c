/**
 * An app's form as a person sees it: options read from the cluster (partitions) filled in, and the
 * default each field takes when a request leaves it out. validateChoices checks against exactly this.
 */
import type { AppManifest, FormField, SelectField, SelectOption } from './app-manifest.schema';

/** A partition as the cluster reports it (the API maps the Slurm client's data to this). */
export interface ClusterPartition {
  name: string;
  /** The cluster's default partition (sinfo marks it with `*`). */
  isDefault?: boolean;
  /** MaxTime in minutes; null or absent means no limit. */
  maxTimeMinutes?: number | null;
  /** The most CPUs any one node of the partition has, if known. */
  maxCpusPerNode?: number;
  /** The most memory (MB) any one node of the partition has, if known. */
  maxMemoryMbPerNode?: number;
}

/** What validation needs to know about the cluster right now. */
export interface ChoiceContext {
  partitions: readonly ClusterPartition[];
}

export type ResolvedSelectField = Omit<SelectField, 'options' | 'default'> & {
  options: SelectOption[];
  /** Undefined only when the cluster offers no partition at all. */
  default: string | undefined;
};

export type ResolvedFormField = Exclude<FormField, SelectField> | ResolvedSelectField;

export function resolveForm(manifest: AppManifest, context: ChoiceContext): ResolvedFormField[] {
  return manifest.form.map((field) => (field.type === 'select' ? resolveSelect(field, context) : field));
}

function resolveSelect(field: SelectField, context: ChoiceContext): ResolvedSelectField {
  if (Array.isArray(field.options)) return { ...field, options: field.options, default: field.default };
  const names = context.partitions.map((partition) => partition.name);
  // The manifest's default if this cluster has it, else the cluster's own default.
  const fallback = context.partitions.find((partition) => partition.isDefault)?.name ?? names[0];
  return {
    ...field,
    options: names.map((name) => ({ value: name })),
    default: field.default !== undefined && names.includes(field.default) ? field.default : fallback,
  };
}
