/**
 * @vizportal/job-templates: the app catalog (manifests), validation of a user's choices against it,
 * and rendering into a complete batch script with the VNC wrapper. Nothing here calls Slurm, serves
 * HTTP or touches a database.
 */
export {
  appManifestSchema,
  APP_ID_PATTERN,
  FIELD_ID_PATTERN,
  SLURM_NAME_PATTERN,
  type AppManifest,
  type BindMount,
  type BooleanField,
  type CommandWord,
  type AppAccess,
  type ContainerSettings,
  type DesktopSettings,
  type FieldBinding,
  type FormField,
  type NumberField,
  type SelectField,
  type SelectOption,
  type SlurmSettings,
  type TextField,
} from './lib/app-manifest.schema';
export { choiceProblems } from './lib/choice-problems';
export { Catalog, CatalogError, loadCatalog, parseAppManifest, type CatalogIssue } from './lib/catalog';
export {
  fieldEnvName,
  JOB_ENV,
  JOB_ENV_FROM_SUBMITTER,
  READY_SECRET_PATTERN,
  STAGING_FILES,
  VNC_DISPLAY_RANGE,
  VNC_PORT_RANGE,
  type EndMarker,
  END_REASONS,
  isEndReason,
  type EndReason,
  type ReadinessReport,
} from './lib/job-contract';
export { formatMinutes, type ChoiceValue, type JobResources } from './lib/job-resources';
export {
  resolveForm,
  type ChoiceContext,
  type ClusterPartition,
  type ResolvedFormField,
  type ResolvedSelectField,
} from './lib/resolve-form';
export {
  renderJobScript,
  RenderError,
  type RenderContext,
  type RenderedJobScript,
} from './lib/render-job-script';
export { shellQuote } from './lib/shell-quote';
export {
  validateChoices,
  type Choices,
  type FieldError,
  type ValidationResult,
} from './lib/validate-choices';
