/**
 * Renders an app and a user's validated choices into a complete bash batch script.
 *
 * The script is the full record of the job: #SBATCH lines for every resource (the API only adds job
 * name, output, chdir and exported environment on sbatch's command line), the session's values, the
 * app's command line, then the VNC wrapper. There is no template language: values only enter as
 * single-quoted words (shellQuote) or, in #SBATCH lines, as numbers and names of a narrow format.
 * The readiness secret is never written here; the submitter exports it (JOB_ENV.readySecret).
 */
import { SLURM_NAME_PATTERN, type AppManifest, type CommandWord } from './app-manifest.schema';
import { fieldEnvName, JOB_ENV } from './job-contract';
import { resolveJobResources, settingValue, type ChoiceValue, type JobResources } from './job-resources';
import { resolveForm } from './resolve-form';
import { shellQuote } from './shell-quote';
import { checkFieldValue, type Choices } from './validate-choices';
import { VNC_WRAPPER } from './vnc-wrapper';

export interface RenderContext {
  /** The portal's session id: letters, digits, '-' and '_'. */
  sessionId: string;
  /** The per-session staging folder, shared between portal and nodes (absolute path). */
  stagingDir: string;
  /** Where the wrapper POSTs its readiness report (http or https). */
  readinessUrl: string;
}

export interface RenderedJobScript {
  script: string;
  /** A readable job name for squeue; the submitter may add its session token to it. */
  jobName: string;
  /** What the #SBATCH lines ask for, for the API to show and store. */
  resources: JobResources;
}

/** The caller passed something validation would have refused: a bug in the caller, not a user error. */
export class RenderError extends Error {
  override readonly name = 'RenderError';
}

const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const PRINTABLE_PATH = /^\/[^\p{Cc}]{0,1023}$/u;

export function renderJobScript(
  manifest: AppManifest,
  choices: Choices,
  context: RenderContext,
): RenderedJobScript {
  checkContext(context);
  checkChoices(manifest, choices);
  const resources = resolveJobResources(manifest, choices);
  const geometry = String(settingValue(manifest.desktop.geometry, choices));

  const assignments: [string, string][] = [
    [JOB_ENV.sessionId, context.sessionId],
    [JOB_ENV.stagingDir, context.stagingDir],
    [JOB_ENV.readyUrl, context.readinessUrl],
    ['VIZPORTAL_APP_ID', manifest.id],
    ['VIZPORTAL_APP_TITLE', manifest.title],
    ['VIZPORTAL_GEOMETRY', geometry],
    ['VIZPORTAL_WINDOW_MANAGER', manifest.desktop.windowManager],
    ['VIZPORTAL_TIME_LIMIT_MINUTES', String(resources.timeMinutes)],
  ];
  const lines = [
    '#!/bin/bash',
    ...sbatchLines(resources),
    '#',
    `# vizportal session ${context.sessionId}, app ${manifest.id}: rendered by @vizportal/job-templates.`,
    '# Every value below was checked against the app manifest and is shell-quoted. The submitter',
    `# exports ${JOB_ENV.readySecret} into the job's environment; it is never written here.`,
    '',
    '# ---- vizportal: session values ----',
    ...assignments.map(([name, value]) => `${name}=${shellQuote(value)}`),
    `export ${JOB_ENV.sessionId} VIZPORTAL_APP_ID`,
    '# The form values, for the app to read.',
    ...manifest.form.map(
      (field) => `export ${fieldEnvName(field.id)}=${shellQuote(String(choices[field.id]))}`,
    ),
    '',
    '# The app, started by the wrapper once the desktop is up (DISPLAY set).',
    'vizportal_app() {',
    `  ${appCommandLine(manifest, choices)}`,
    '}',
    '',
    VNC_WRAPPER,
  ];
  return { script: lines.join('\n'), jobName: `vizportal-${manifest.id}`, resources };
}

/** The resource request; every value here is a number or matched SLURM_NAME_PATTERN. */
function sbatchLines(resources: JobResources): string[] {
  const lines = [
    `--partition=${resources.partition}`,
    '--nodes=1',
    `--cpus-per-task=${resources.cpus}`,
    `--mem=${resources.memoryMb % 1024 === 0 ? `${resources.memoryMb / 1024}G` : `${resources.memoryMb}M`}`,
    `--time=${formatSlurmTime(resources.timeMinutes)}`,
  ];
  if (resources.gpus > 0) lines.push(`--gres=gpu:${resources.gpus}`);
  if (resources.account !== undefined) lines.push(`--account=${resources.account}`);
  if (resources.qos !== undefined) lines.push(`--qos=${resources.qos}`);
  for (const name of [resources.partition, resources.account, resources.qos]) {
    if (name !== undefined && !SLURM_NAME_PATTERN.test(name))
      throw new RenderError(`not a Slurm name: ${JSON.stringify(name)}`);
  }
  return lines.map((line) => `#SBATCH ${line}`);
}

/** 90 → 01:30:00; 1500 → 1-01:00:00 (sbatch's days-hours:minutes:seconds). */
export function formatSlurmTime(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${pad(hours)}:${pad(minutes % 60)}:00`;
  return days > 0 ? `${days}-${clock}` : clock;
}

/** `exec` of the app's argv, natively or inside `apptainer exec` with the manifest's bind mounts. */
function appCommandLine(manifest: AppManifest, choices: Choices): string {
  const argv = manifest.command.map((word: CommandWord) =>
    shellQuote(typeof word === 'string' ? word : String(choices[word.field])),
  );
  if (!manifest.container) return `exec ${argv.join(' ')}`;
  const binds = manifest.container.binds.map(
    (bind) =>
      `--bind ${shellQuote(`${bind.source}:${bind.target ?? bind.source}${bind.readOnly ? ':ro' : ''}`)}`,
  );
  return ['exec apptainer exec', ...binds, shellQuote(manifest.container.image), ...argv].join(' ');
}

function checkContext(context: RenderContext): void {
  if (!SESSION_ID_PATTERN.test(context.sessionId))
    throw new RenderError('sessionId must be 1-64 letters, digits, - or _');
  if (!PRINTABLE_PATH.test(context.stagingDir))
    throw new RenderError('stagingDir must be an absolute path without control characters');
  let url: URL;
  try {
    url = new URL(context.readinessUrl);
  } catch {
    throw new RenderError('readinessUrl is not a URL');
  }
  if (!['http:', 'https:'].includes(url.protocol) || /[\p{Cc}\s]/u.test(context.readinessUrl)) {
    throw new RenderError('readinessUrl must be an http(s) URL without spaces or control characters');
  }
}

/**
 * Choices are branded by validateChoices; this re-checks them anyway (cheaply, without the cluster's
 * partition list) because a script is the last place a bad value could still be stopped.
 */
function checkChoices(manifest: AppManifest, choices: Readonly<Record<string, ChoiceValue>>): void {
  const fields = resolveForm(manifest, { partitions: [] });
  const ids = new Set(fields.map((field) => field.id));
  const extra = Object.keys(choices).find((key) => !ids.has(key));
  if (extra !== undefined) throw new RenderError(`choice for unknown field ${JSON.stringify(extra)}`);
  for (const field of fields) {
    const value = choices[field.id];
    const fromCluster =
      field.type === 'select' &&
      manifest.form.some((f) => f.id === field.id && f.type === 'select' && !Array.isArray(f.options));
    const ok = fromCluster
      ? typeof value === 'string' && SLURM_NAME_PATTERN.test(value)
      : checkFieldValue(field, value).ok;
    if (!ok) throw new RenderError(`choice for field "${field.id}" was not validated`);
  }
}
