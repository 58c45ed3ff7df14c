/**
 * The app manifest: what one catalog entry (a YAML file under catalog/) may say, as a zod schema.
 *
 * Manifests are trusted site configuration, but they are still checked strictly at load, so that a
 * typo fails the portal's start-up with the file and field named instead of surfacing as a broken
 * job later. Everything that can end up in a batch script has a narrow format here.
 */
import { z } from 'zod';

/** Anything printable: no control characters, so no newline can break out of a script comment or line. */
export const PRINTABLE = /^[^\p{Cc}]*$/u;

/** App ids: safe in file names, URLs and job names. */
export const APP_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** Form field ids: they also name environment variables (VIZPORTAL_FIELD_<ID>). */
export const FIELD_ID_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;
/** Slurm partition, account and QOS names. */
export const SLURM_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$/;
/** Desktop geometry, WIDTHxHEIGHT. */
export const GEOMETRY_PATTERN = /^([1-9][0-9]{2,4})x([1-9][0-9]{2,4})$/;
/** An executable name or absolute path, for the window manager and argv[0]-like words. */
const COMMAND_NAME_PATTERN = /^[A-Za-z0-9_/][A-Za-z0-9_.+/-]*$/;
/** Absolute paths without the separators apptainer's --bind uses (':' and ','). */
const BIND_PATH_PATTERN = /^\/[^\p{Cc}:,]*$/u;
/** The longest text value a manifest may allow; values beyond it make poor shell arguments anyway. */
export const TEXT_MAX_LENGTH_LIMIT = 4096;

const printable = (max: number) =>
  z.string().max(max).regex(PRINTABLE, 'must not contain control characters (newlines, tabs, NUL)');

const fieldId = z
  .string()
  .regex(
    FIELD_ID_PATTERN,
    'must be lower-case letters, digits and underscores, starting with a letter (at most 32)',
  );

const commonFieldProps = {
  id: fieldId,
  label: printable(80).min(1),
  help: printable(500).optional(),
};

export const numberFieldSchema = z.strictObject({
  type: z.literal('number'),
  ...commonFieldProps,
  default: z.number(),
  min: z.number(),
  max: z.number(),
  /** Values must be min + k*step; omitted means any number in range. */
  step: z.number().positive().optional(),
});

export const selectOptionSchema = z.strictObject({
  value: printable(200),
  label: printable(80).min(1).optional(),
});

/** Options read from the cluster at request time instead of being listed in the manifest. */
export const clusterOptionsSchema = z.strictObject({ fromCluster: z.literal('partitions') });

export const selectFieldSchema = z.strictObject({
  type: z.literal('select'),
  ...commonFieldProps,
  /** Required for a fixed list; for `fromCluster` it is optional (the cluster's default partition). */
  default: printable(200).optional(),
  options: z.union([z.array(selectOptionSchema).min(1), clusterOptionsSchema]),
});

export const textFieldSchema = z.strictObject({
  type: z.literal('text'),
  ...commonFieldProps,
  default: z.string(),
  /** A JavaScript regular expression the whole value must match (anchored for you, unicode mode). */
  pattern: z.string().min(1).optional(),
  maxLength: z.number().int().min(1).max(TEXT_MAX_LENGTH_LIMIT).default(256),
});

export const booleanFieldSchema = z.strictObject({
  type: z.literal('boolean'),
  ...commonFieldProps,
  default: z.boolean(),
});

export const formFieldSchema = z.discriminatedUnion(
  'type',
  [numberFieldSchema, selectFieldSchema, textFieldSchema, booleanFieldSchema],
  { error: 'type must be one of: number, select, text, boolean' },
);

/** `{ field: cpus }`: the setting takes the value the user chose in that form field. */
export const fieldBindingSchema = z.strictObject({ field: fieldId });

/** A setting that is either fixed in the manifest or bound to a form field. */
const fixedOrBound = <T extends z.ZodType>(fixed: T) => z.union([fixed, fieldBindingSchema]);

const slurmName = z.string().regex(SLURM_NAME_PATTERN, 'must be a Slurm name (letters, digits, _ . + -)');

export const slurmSettingsSchema = z.strictObject({
  partition: fixedOrBound(slurmName),
  cpus: fixedOrBound(z.number().int().min(1)),
  memoryGb: fixedOrBound(z.number().positive()),
  timeHours: fixedOrBound(z.number().positive()),
  /** GPUs as a gres count (`--gres=gpu:N`); 0 or absent asks for none. */
  gpus: fixedOrBound(z.number().int().min(0)).optional(),
  account: fixedOrBound(slurmName).optional(),
  qos: fixedOrBound(slurmName).optional(),
});

export const desktopSettingsSchema = z.strictObject({
  /** Started natively on the node before the app; `none` for a bare X display. */
  windowManager: z.union([
    z.literal('none'),
    z.string().regex(COMMAND_NAME_PATTERN, 'must be a command name or none'),
  ]),
  geometry: fixedOrBound(z.string().regex(GEOMETRY_PATTERN, 'must be WIDTHxHEIGHT, e.g. 1280x800')),
});

export const bindMountSchema = z.strictObject({
  source: z.string().regex(BIND_PATH_PATTERN, "must be an absolute path without ':' or ','"),
  /** Defaults to the source path. */
  target: z.string().regex(BIND_PATH_PATTERN, "must be an absolute path without ':' or ','").optional(),
  readOnly: z.boolean().default(false),
});

export const containerSettingsSchema = z.strictObject({
  image: z.string().regex(BIND_PATH_PATTERN, "must be an absolute path without ':' or ','"),
  binds: z.array(bindMountSchema).default([]),
});

/** Unix user and group names, as an access list names them. */
const ACCOUNT_NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
const accountName = z.string().regex(ACCOUNT_NAME_PATTERN, 'must be a Unix user or group name');

/** Who may launch the app: members of any of the groups, or any of the users; absent or empty, everyone. */
export const appAccessSchema = z.strictObject({
  groups: z.array(accountName).default([]),
  users: z.array(accountName).default([]),
});

/** One word of the app's argv: literal text, or the value of a form field as one whole argument. */
export const commandWordSchema = z.union([printable(1000), fieldBindingSchema]);

const appManifestObjectSchema = z.strictObject({
  id: z.string().regex(APP_ID_PATTERN, 'must be a slug: lower-case letters, digits and dashes (at most 63)'),
  title: printable(80).min(1),
  description: printable(1000).default(''),
  /** A Material Symbols icon name, e.g. desktop_windows. */
  icon: z.string().regex(/^[a-z0-9_]{1,64}$/, 'must be a Material Symbols name, e.g. desktop_windows'),
  category: printable(40).min(1),
  form: z.array(formFieldSchema).default([]),
  slurm: slurmSettingsSchema,
  desktop: desktopSettingsSchema,
  /** argv of the app, started inside the desktop; never a shell string. */
  command: z.array(commandWordSchema).min(1),
  container: containerSettingsSchema.optional(),
  access: appAccessSchema.optional(),
});

export type NumberField = z.infer<typeof numberFieldSchema>;
export type SelectField = z.infer<typeof selectFieldSchema>;
export type SelectOption = z.infer<typeof selectOptionSchema>;
export type TextField = z.infer<typeof textFieldSchema>;
export type BooleanField = z.infer<typeof booleanFieldSchema>;
export type FormField = z.infer<typeof formFieldSchema>;
export type FieldBinding = z.infer<typeof fieldBindingSchema>;
export type SlurmSettings = z.infer<typeof slurmSettingsSchema>;
export type DesktopSettings = z.infer<typeof desktopSettingsSchema>;
export type BindMount = z.infer<typeof bindMountSchema>;
export type ContainerSettings = z.infer<typeof containerSettingsSchema>;
export type CommandWord = z.infer<typeof commandWordSchema>;
export type AppAccess = z.infer<typeof appAccessSchema>;
export type AppManifest = z.infer<typeof appManifestObjectSchema>;

/** The type of field each bound setting needs, and why the value fits where it goes. */
type BindingRule = { types: FormField['type'][]; check?: (field: FormField) => string | undefined };

const integerNumber = (minimum: number) => (field: FormField) => {
  if (field.type !== 'number') return undefined;
  const wholeStep = field.step !== undefined && Number.isInteger(field.step);
  if (!Number.isInteger(field.min) || !wholeStep)
    return 'must be bound to a number field with a whole min and step';
  return field.min < minimum ? `must be bound to a number field with min at least ${minimum}` : undefined;
};
const positiveNumber = (field: FormField) =>
  field.type === 'number' && field.min <= 0 ? 'must be bound to a number field with min above 0' : undefined;

const BINDING_RULES: Record<keyof SlurmSettings | 'geometry', BindingRule> = {
  partition: { types: ['select', 'text'] },
  account: { types: ['select', 'text'] },
  qos: { types: ['select', 'text'] },
  cpus: { types: ['number'], check: integerNumber(1) },
  gpus: { types: ['number'], check: integerNumber(0) },
  memoryGb: { types: ['number'], check: positiveNumber },
  timeHours: { types: ['number'], check: positiveNumber },
  geometry: {
    types: ['select'],
    check: (field) =>
      field.type === 'select' &&
      (!Array.isArray(field.options) || field.options.some((option) => !GEOMETRY_PATTERN.test(option.value)))
        ? 'must be bound to a select whose options are all WIDTHxHEIGHT'
        : undefined,
  },
};

/** Relations zod's shape can't express: unique ids, valid defaults, bindings to fields that exist and fit. */
function checkManifest(manifest: AppManifest, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  const byId = new Map<string, FormField>();

  manifest.form.forEach((field, index) => {
    const at = (...rest: string[]) => ['form', index, ...rest];
    if (byId.has(field.id)) issue(at('id'), `duplicate field id "${field.id}"`);
    byId.set(field.id, field);

    switch (field.type) {
      case 'number':
        if (field.min > field.max) issue(at('min'), `must not be above max (${field.max})`);
        else if (!isOnStep(field.default, field)) {
          issue(
            at('default'),
            `must be within ${field.min}..${field.max}${field.step ? ` in steps of ${field.step}` : ''}`,
          );
        }
        break;
      case 'select':
        if (Array.isArray(field.options)) {
          const values = field.options.map((option) => option.value);
          const repeated = values.find((value, i) => values.indexOf(value) !== i);
          if (repeated !== undefined) issue(at('options'), `duplicate option value "${repeated}"`);
          if (field.default === undefined) issue(at('default'), 'is required for a fixed list of options');
          else if (!values.includes(field.default)) issue(at('default'), 'must be one of the options');
        } else if (field.default !== undefined && !SLURM_NAME_PATTERN.test(field.default)) {
          issue(at('default'), 'must be a partition name');
        }
        break;
      case 'text': {
        let pattern: RegExp | undefined;
        try {
          pattern = field.pattern === undefined ? undefined : compileFieldPattern(field.pattern);
        } catch (error) {
          issue(at('pattern'), `is not a valid regular expression: ${(error as Error).message}`);
        }
        if (field.default.length > field.maxLength)
          issue(at('default'), `must be at most maxLength (${field.maxLength})`);
        else if (!PRINTABLE.test(field.default))
          issue(at('default'), 'must not contain control characters (newlines, tabs, NUL)');
        else if (pattern && !pattern.test(field.default)) issue(at('default'), 'must match pattern');
        break;
      }
      case 'boolean':
        break;
    }
  });

  const checkBinding = (path: (string | number)[], name: keyof typeof BINDING_RULES, value: unknown) => {
    if (typeof value !== 'object' || value === null || !('field' in value)) return;
    const field = byId.get(String(value.field));
    const rule = BINDING_RULES[name];
    if (!field) return issue([...path, 'field'], `names no field of the form ("${String(value.field)}")`);
    if (!rule.types.includes(field.type)) {
      return issue(
        [...path, 'field'],
        `must be bound to a ${rule.types.join(' or ')} field, "${field.id}" is ${field.type}`,
      );
    }
    const problem = rule.check?.(field);
    if (problem) issue([...path, 'field'], problem);
  };
  for (const [name, value] of Object.entries(manifest.slurm)) {
    checkBinding(['slurm', name], name as keyof SlurmSettings, value);
  }
  checkBinding(['desktop', 'geometry'], 'geometry', manifest.desktop.geometry);

  manifest.form.forEach((field, index) => {
    const partitionBinding = manifest.slurm.partition;
    const isPartitionField = typeof partitionBinding === 'object' && partitionBinding.field === field.id;
    if (field.type === 'select' && !Array.isArray(field.options) && !isPartitionField) {
      issue(['form', index, 'options'], 'fromCluster is only for the field bound to slurm.partition');
    }
  });

  manifest.command.forEach((word, index) => {
    if (typeof word === 'object' && !byId.has(word.field)) {
      issue(['command', index, 'field'], `names no field of the form ("${word.field}")`);
    }
  });
  if (typeof manifest.command[0] !== 'string' || !COMMAND_NAME_PATTERN.test(manifest.command[0])) {
    issue(['command', 0], 'must be a literal command name or absolute path');
  }
}

export const appManifestSchema = appManifestObjectSchema.superRefine(checkManifest);

/** A text field's pattern as the validator uses it: whole-value match, unicode mode. */
export function compileFieldPattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, 'u');
}

/** Whether a number lies in the field's range and on its step grid (with float tolerance). */
export function isOnStep(value: number, field: Pick<NumberField, 'min' | 'max' | 'step'>): boolean {
  if (!Number.isFinite(value) || value < field.min || value > field.max) return false;
  if (field.step === undefined) return true;
  const steps = (value - field.min) / field.step;
  return Math.abs(steps - Math.round(steps)) < 1e-9;
}
