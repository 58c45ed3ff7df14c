/**
 * Checks a launch request's form values against an app's manifest and the cluster's partitions.
 *
 * The result is either every field's value (defaults filled in), branded as validated so that only
 * such values can be rendered into a script, or per-field errors worded for the person who filled in
 * the form. Nothing from the request is passed through unchecked: unknown fields are refused too.
 */
import {
  compileFieldPattern,
  isOnStep,
  PRINTABLE,
  SLURM_NAME_PATTERN,
  type AppManifest,
  type FieldBinding,
  type NumberField,
} from './app-manifest.schema';
import { formatMinutes, resolveJobResources, type ChoiceValue } from './job-resources';
import { resolveForm, type ChoiceContext, type ResolvedFormField } from './resolve-form';

declare const validatedBrand: unique symbol;

/** Form values that passed validateChoices: one per field of the manifest, nothing else. */
export type Choices = Readonly<Record<string, ChoiceValue>> & { readonly [validatedBrand]: true };

export interface FieldError {
  /** The form field's id; `slurm.<setting>` for a fixed setting the cluster can't satisfy; '' for the whole request. */
  field: string;
  message: string;
}

export type ValidationResult = { ok: true; choices: Choices } | { ok: false; errors: FieldError[] };

export function validateChoices(
  manifest: AppManifest,
  values: unknown,
  context: ChoiceContext,
): ValidationResult {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    return {
      ok: false,
      errors: [{ field: '', message: 'The form values must be an object of field values' }],
    };
  }
  const given = values as Record<string, unknown>;
  const fields = resolveForm(manifest, context);
  const errors: FieldError[] = [];
  const known = new Set(fields.map((field) => field.id));
  for (const key of Object.keys(given)) {
    if (!known.has(key))
      errors.push({ field: key.slice(0, 64), message: `Unknown field ${JSON.stringify(key.slice(0, 64))}` });
  }

  const checked: Record<string, ChoiceValue> = {};
  for (const field of fields) {
    const raw = given[field.id];
    const result = checkFieldValue(field, raw === undefined || raw === null ? field.default : raw);
    if (result.ok) checked[field.id] = result.value;
    else errors.push({ field: field.id, message: result.message });
  }
  if (errors.length > 0) return { ok: false, errors };

  errors.push(...checkAgainstCluster(manifest, fields, checked, context));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, choices: checked as Choices };
}

export type FieldCheck = { ok: true; value: ChoiceValue } | { ok: false; message: string };

/** One value against one field's type and bounds. */
export function checkFieldValue(field: ResolvedFormField, value: unknown): FieldCheck {
  const fail = (message: string): FieldCheck => ({ ok: false, message: `${field.label} ${message}` });
  switch (field.type) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail('must be a number');
      if (value < field.min) return fail(`must be at least ${field.min}`);
      if (value > field.max) return fail(`must be at most ${field.max}`);
      return isOnStep(value, field) ? { ok: true, value } : fail(stepMessage(field));
    case 'select': {
      if (field.options.length === 0) return fail('has no options available right now');
      const values = field.options.map((option) => option.value);
      if (typeof value === 'string' && values.includes(value)) return { ok: true, value };
      return fail(`must be one of: ${values.slice(0, 12).join(', ')}${values.length > 12 ? ', …' : ''}`);
    }
    case 'text':
      if (typeof value !== 'string') return fail('must be text');
      // A text field is one line (a text box): no control character has a place in it. NUL can't be
      // in a bash word, and sbatch refuses a script holding a carriage return ("DOS line breaks").
      if (!PRINTABLE.test(value)) return fail('must not contain control characters');
      // A lone surrogate can't be encoded as UTF-8, so it would not reach the app as typed.
      if (/[\uD800-\uDFFF]/u.test(value)) return fail('contains characters that are not valid text');
      if ([...value].length > field.maxLength) return fail(`must be at most ${field.maxLength} characters`);
      if (field.pattern !== undefined && !compileFieldPattern(field.pattern).test(value)) {
        return fail(
          field.help ? `is not in the expected format (${field.help})` : 'is not in the expected format',
        );
      }
      return { ok: true, value };
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, value } : fail('must be true or false');
  }
}

function stepMessage(field: NumberField): string {
  const step = field.step ?? 0;
  if (Number.isInteger(step) && Number.isInteger(field.min)) {
    return step === 1 ? 'must be a whole number' : `must be ${field.min} plus a multiple of ${step}`;
  }
  return `must be in steps of ${step} from ${field.min}`;
}

/** Checks that need the values together: Slurm names, and the chosen partition's limits. */
function checkAgainstCluster(
  manifest: AppManifest,
  fields: readonly ResolvedFormField[],
  values: Readonly<Record<string, ChoiceValue>>,
  context: ChoiceContext,
): FieldError[] {
  const { slurm } = manifest;
  const labelOf = (id: string) => fields.find((field) => field.id === id)?.label ?? id;
  const errors: FieldError[] = [];

  for (const name of ['partition', 'account', 'qos'] as const) {
    const setting = slurm[name];
    if (setting === undefined || typeof setting !== 'object') continue;
    const value = values[setting.field];
    if (typeof value !== 'string' || !SLURM_NAME_PATTERN.test(value)) {
      errors.push({
        field: setting.field,
        message: `${labelOf(setting.field)} must be a Slurm name: letters, digits and _ . + - (at most 64)`,
      });
    }
  }
  if (errors.length > 0) return errors;

  const resources = resolveJobResources(manifest, values);
  const partitionField = typeof slurm.partition === 'object' ? slurm.partition.field : 'slurm.partition';
  const partition = context.partitions.find((candidate) => candidate.name === resources.partition);
  if (!partition) {
    // Without any cluster information there is nothing to check a fixed partition against.
    if (context.partitions.length > 0) {
      errors.push({
        field: partitionField,
        message: `Partition "${resources.partition}" is not available on this cluster`,
      });
    }
    return errors;
  }
  // A bound setting's error names the field; a fixed one can only be met by another partition.
  const overLimit = (setting: unknown, noun: string, limit: string): FieldError =>
    typeof setting === 'object' && setting !== null && 'field' in setting
      ? {
          field: (setting as FieldBinding).field,
          message: `${labelOf((setting as FieldBinding).field)} must be at most ${limit} on partition ${partition.name}`,
        }
      : {
          field: partitionField,
          message: `Partition ${partition.name} allows at most ${limit} of ${noun}; this app needs more`,
        };

  if (partition.maxTimeMinutes != null && resources.timeMinutes > partition.maxTimeMinutes) {
    errors.push(overLimit(slurm.timeHours, 'time', formatMinutes(partition.maxTimeMinutes)));
  }
  if (partition.maxCpusPerNode !== undefined && resources.cpus > partition.maxCpusPerNode) {
    errors.push(overLimit(slurm.cpus, 'CPUs', String(partition.maxCpusPerNode)));
  }
  if (partition.maxMemoryMbPerNode !== undefined && resources.memoryMb > partition.maxMemoryMbPerNode) {
    errors.push(
      overLimit(
        slurm.memoryGb,
        'memory',
        `${Math.floor((partition.maxMemoryMbPerNode / 1024) * 100) / 100} GB`,
      ),
    );
  }
  return errors;
}
