// Test support: the commands recorded on the real 22.05 cluster by scripts/record-fixtures.sh,
// and a CommandRunner that answers the client only with those recordings.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { effectiveArgv, type CommandOutcome, type CommandRunner, type CommandSpec } from '../command-runner';

const DIR = __dirname;

export interface RecordedCommand {
  name: string;
  argv: string[];
  stdin: string | null;
  stdout: string;
  stderr: string;
  exitCode: number;
  ms: number;
}

function read(name: string, ext: string): string {
  return readFileSync(join(DIR, `${name}.${ext}`), 'utf8');
}

/** The value, failing the test with a clear message when it is missing. */
export function present<T>(value: T | null | undefined, what = 'value'): T {
  if (value === null || value === undefined) throw new Error(`${what} is missing`);
  return value;
}

export function recorded(name: string): RecordedCommand {
  if (!existsSync(join(DIR, `${name}.argv`))) throw new Error(`no recorded command ${name}`);
  const argv = read(name, 'argv').split('\n');
  argv.pop(); // the final newline
  return {
    name,
    argv,
    stdin: existsSync(join(DIR, `${name}.stdin`)) ? read(name, 'stdin') : null,
    stdout: read(name, 'stdout'),
    stderr: read(name, 'stderr'),
    exitCode: Number(read(name, 'exit').trim()),
    ms: Number(read(name, 'ms').trim()),
  };
}

/** Job id of each submitted case: held, running, completed, failed, cancelled, completing, over-limit, alice, timeout. */
export const recordedJobIds: Readonly<Record<string, string>> = JSON.parse(read('jobs', 'json'));

export function outcomeOf(command: RecordedCommand): CommandOutcome {
  return {
    kind: 'exited',
    exitCode: command.exitCode,
    signal: null,
    argv: command.argv,
    stdout: command.stdout,
    stderr: command.stderr,
    durationMs: command.ms,
  };
}

/**
 * Answers each command with the recording whose argv (sudo prefix included) and stdin are exactly
 * the same; anything else fails the test. So a passing test also proves the client runs the
 * very commands that were recorded.
 */
export class ReplayRunner implements CommandRunner {
  readonly specs: CommandSpec[] = [];
  private readonly commands: RecordedCommand[];

  constructor(names: readonly string[]) {
    this.commands = names.map(recorded);
  }

  async run(spec: CommandSpec): Promise<CommandOutcome> {
    this.specs.push(spec);
    const argv = effectiveArgv(spec);
    const match = this.commands.find(
      (c) => c.argv.length === argv.length && c.argv.every((word, i) => word === argv[i]),
    );
    if (match === undefined) {
      throw new Error(
        `no recording for ${JSON.stringify(argv)}; have ${this.commands.map((c) => c.name).join(', ')}`,
      );
    }
    if (match.stdin !== null && match.stdin !== spec.input) {
      throw new Error(`stdin differs from the recording ${match.name}`);
    }
    return outcomeOf(match);
  }
}
