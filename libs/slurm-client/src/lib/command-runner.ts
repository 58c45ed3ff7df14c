// Runs one command from an argv array: never through a shell, always with a time-out and an
// output cap, optionally as another Unix user through `sudo -n -u USER --`.
// It reports what happened and leaves the meaning of exit codes and stderr to the Slurm layer.
import { spawn } from 'node:child_process';

export interface CommandSpec {
  /** argv[0] is the program (a name looked up in PATH, or a path); never interpreted by a shell. */
  argv: readonly string[];
  /** Run as this Unix user through sudo; absent: run as the service itself. */
  asUser?: string;
  /** Written to the command's stdin, which is then closed. Absent: stdin is empty. */
  input?: string;
  timeoutMs: number;
  /** Cap on stdout and stderr together; the command is killed when it is exceeded. */
  maxOutputBytes: number;
  /** The complete environment of the command (not merged with ours). */
  env?: NodeJS.ProcessEnv;
  /** Variables of env that must survive sudo's environment reset (asUser only). */
  preserveEnv?: readonly string[];
}

interface OutcomeBase {
  /** The argv that actually ran (with the sudo prefix when asUser was given). */
  argv: readonly string[];
  stdout: string;
  stderr: string;
  durationMs: number;
}

export type CommandOutcome =
  | (OutcomeBase & { kind: 'exited'; exitCode: number | null; signal: NodeJS.Signals | null })
  | (OutcomeBase & { kind: 'timed-out' })
  | (OutcomeBase & { kind: 'output-limit' })
  | (OutcomeBase & { kind: 'spawn-failed'; errorCode: string; message: string });

/** The port through which every Slurm command runs; tests wrap or replace it. */
export interface CommandRunner {
  /** Never rejects: every way a command can end is an outcome. */
  run(spec: CommandSpec): Promise<CommandOutcome>;
}

export interface ProcessCommandRunnerOptions {
  /** sudo binary used for `asUser`; default 'sudo' from PATH. */
  sudoPath?: string;
  /** Time between SIGTERM and SIGKILL after a time-out; default 2000 ms. */
  killGraceMs?: number;
}

/** The argv that runs `spec`: the sudo prefix (non-interactive, so it fails instead of prompting) when needed. */
export function effectiveArgv(
  spec: Pick<CommandSpec, 'argv' | 'asUser' | 'preserveEnv'>,
  sudoPath = 'sudo',
): string[] {
  if (spec.argv.length === 0) {
    throw new TypeError('empty argv');
  }
  if (spec.asUser === undefined) return [...spec.argv];
  const preserve = spec.preserveEnv?.length ? [`--preserve-env=${spec.preserveEnv.join(',')}`] : [];
  return [sudoPath, '-n', ...preserve, '-u', spec.asUser, '--', ...spec.argv];
}

/** CommandRunner on node:child_process.spawn (shell: false). */
export class ProcessCommandRunner implements CommandRunner {
  private readonly sudoPath: string;
  private readonly killGraceMs: number;

  constructor(options: ProcessCommandRunnerOptions = {}) {
    this.sudoPath = options.sudoPath ?? 'sudo';
    this.killGraceMs = options.killGraceMs ?? 2000;
  }

  run(spec: CommandSpec): Promise<CommandOutcome> {
    const argv = effectiveArgv(spec, this.sudoPath);
    const started = Date.now();
    return new Promise<CommandOutcome>((resolve) => {
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let outputBytes = 0;
      let settled = false;

      const base = (): OutcomeBase => ({
        argv,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        durationMs: Date.now() - started,
      });
      const finish = (outcome: CommandOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };

      const child = spawn(argv[0], argv.slice(1), {
        shell: false,
        // Own process group, so a time-out kills the command's children too (sudo's child, helpers).
        detached: true,
        env: spec.env ?? process.env,
        stdio: ['pipe', 'pipe', 'pipe'],
        windowsHide: true,
      });

      // TERM first so sudo can pass it on to the command it runs; then KILL whatever is left of
      // the group, including children that outlived their parent.
      const killGroup = (): void => {
        signalGroup(child.pid, 'SIGTERM');
        setTimeout(() => signalGroup(child.pid, 'SIGKILL'), this.killGraceMs).unref();
      };

      const collect = (sink: Buffer[]) => (chunk: Buffer) => {
        if (settled) return;
        outputBytes += chunk.length;
        if (outputBytes > spec.maxOutputBytes) {
          killGroup();
          finish({ kind: 'output-limit', ...base() });
          return;
        }
        sink.push(chunk);
      };
      child.stdout?.on('data', collect(stdout));
      child.stderr?.on('data', collect(stderr));

      child.on('error', (err: NodeJS.ErrnoException) => {
        finish({ kind: 'spawn-failed', errorCode: err.code ?? 'UNKNOWN', message: err.message, ...base() });
      });
      // 'close' (not 'exit') so that all output has been read.
      child.on('close', (code, signal) => {
        finish({ kind: 'exited', exitCode: code, signal, ...base() });
      });

      // Declared after the handlers, which only run once this function has returned.
      const timer = setTimeout(() => {
        killGroup();
        finish({ kind: 'timed-out', ...base() });
      }, spec.timeoutMs);

      // A command that exits without reading stdin must not crash us with EPIPE.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(spec.input ?? '');
    });
  }
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
