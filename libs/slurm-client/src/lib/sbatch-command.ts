// Turns a SubmitRequest into sbatch arguments and reads sbatch --parsable's answer.
// Every value is checked before it reaches argv: no shell is involved, but sbatch itself splits
// some values (--export on commas) and a value must never be read as another option, so options
// are always written as one "--name=value" word.
import { InvalidSlurmRequestError } from './slurm-errors';
import type { SubmitRequest } from './slurm-client';

export const DEFAULT_JOB_NAME_PREFIX = 'vizportal-';

const TOKEN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const JOB_NAME_PREFIX = /^[A-Za-z0-9_.-]{0,64}$/;
const SLURM_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
const GRES = /^[A-Za-z0-9_:.,=/-]{1,256}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const ENV_VALUE = /^[^,'"\r\n\0]*$/;
const FREE_TEXT = /^[^\r\n\0]*$/;

export function validateToken(token: string): void {
  if (!TOKEN.test(token)) {
    throw new InvalidSlurmRequestError(
      'token',
      "1-64 characters of A-Z a-z 0-9 '_' '-', starting with a letter or digit",
    );
  }
}

export function validateJobNamePrefix(prefix: string): void {
  if (!JOB_NAME_PREFIX.test(prefix)) {
    throw new InvalidSlurmRequestError('jobNamePrefix', "up to 64 characters of A-Z a-z 0-9 '_' '.' '-'");
  }
}

export function jobNameFor(prefix: string, token: string): string {
  validateToken(token);
  return `${prefix}${token}`;
}

function positiveInteger(field: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidSlurmRequestError(field, `a whole number of at least 1 is needed, got ${value}`);
  }
  return value;
}

function matching(
  field: string,
  value: string | undefined,
  pattern: RegExp,
  rule: string,
): string | undefined {
  if (value === undefined) return undefined;
  if (!pattern.test(value)) throw new InvalidSlurmRequestError(field, rule);
  return value;
}

function path(field: string, value: string | undefined): string | undefined {
  return matching(field, value, /^[^\r\n\0]{1,4096}$/, 'a path of 1-4096 characters without line breaks');
}

/** The --export value: NONE, ALL, or only the given variables (plus SLURM_* and, on the node, the user's login environment). */
export function exportArgument(
  mode: 'none' | 'all',
  env: Readonly<Record<string, string>> = {},
  secretNames: readonly string[] = [],
): string {
  for (const name of secretNames) {
    if (!ENV_NAME.test(name))
      throw new InvalidSlurmRequestError('secretEnv', `bad variable name ${JSON.stringify(name)}`);
  }
  const pairs = Object.entries(env).map(([name, value]) => {
    if (!ENV_NAME.test(name))
      throw new InvalidSlurmRequestError('env', `bad variable name ${JSON.stringify(name)}`);
    if (!ENV_VALUE.test(value)) {
      throw new InvalidSlurmRequestError(
        'env',
        `value of ${name} must not contain commas, quotes or line breaks`,
      );
    }
    return `${name}=${value}`;
  });
  // ALL already carries every variable of sbatch's environment, secrets included. Naming them
  // anyway ("ALL,NAME") makes Slurm load root's login environment, which can take a minute.
  if (mode === 'all') return ['ALL', ...pairs].join(',');
  // A bare NAME makes sbatch copy that variable's value from its own environment.
  const items = [...pairs, ...secretNames];
  // sbatch refuses "NONE,VAR=x"; the variables alone mean "these and nothing else from here".
  return items.length === 0 ? 'NONE' : items.join(',');
}

export interface SbatchCommand {
  /** Arguments after the sbatch binary. */
  args: string[];
  jobName: string;
}

export function sbatchCommand(request: SubmitRequest, jobNamePrefix: string): SbatchCommand {
  const jobName = jobNameFor(jobNamePrefix, request.token);
  if (typeof request.script !== 'string' || !request.script.startsWith('#!')) {
    throw new InvalidSlurmRequestError('script', 'a batch script starting with "#!" is needed');
  }
  const args = ['--parsable', `--job-name=${jobName}`];
  const add = (option: string, value: string | number | undefined): void => {
    if (value !== undefined) args.push(`--${option}=${value}`);
  };
  add('partition', matching('partition', request.partition, SLURM_NAME, "letters, digits, '_' '.' '-'"));
  // One task on one node: a desktop is a single process tree on the node that runs the script.
  args.push('--nodes=1', '--ntasks=1');
  add('cpus-per-task', positiveInteger('cpus', request.cpus));
  const memoryMb = positiveInteger('memoryMb', request.memoryMb);
  add('mem', memoryMb === undefined ? undefined : `${memoryMb}M`);
  add('time', positiveInteger('timeLimitMinutes', request.timeLimitMinutes));
  add('gres', matching('gres', request.gres, GRES, 'e.g. "gpu:1" or "gpu:a100:1"'));
  const gpus = request.gpus === undefined ? undefined : String(request.gpus);
  add('gpus', matching('gpus', gpus, /^(?:[A-Za-z0-9_.-]+:)?[1-9]\d{0,5}$/, 'e.g. 1 or "a100:1"'));
  add('account', matching('account', request.account, SLURM_NAME, "letters, digits, '_' '.' '-'"));
  add('qos', matching('qos', request.qos, SLURM_NAME, "letters, digits, '_' '.' '-'"));
  add('output', path('outputPath', request.outputPath));
  add('error', path('errorPath', request.errorPath));
  add('chdir', path('workDir', request.workDir));
  add(
    'export',
    exportArgument(request.exportEnv ?? 'none', request.env, Object.keys(request.secretEnv ?? {})),
  );
  add('comment', matching('comment', request.comment, FREE_TEXT, 'no line breaks'));
  if (request.hold === true) args.push('--hold');
  return { args, jobName };
}

/** "123" or "123;cluster" (the last non-empty line of stdout); null when that is not what sbatch printed. */
export function parseParsableOutput(stdout: string): { jobId: string; cluster: string | null } | null {
  const lines = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const m = /^(\d+)(?:;(\S+))?$/.exec(lines[lines.length - 1] ?? '');
  return m ? { jobId: m[1], cluster: m[2] ?? null } : null;
}
