// Decides what a failed Slurm command means, from its outcome: our time-out, a command that could
// not start, sudo refusing, Slurm unreachable, or something else. Operation-specific meanings
// (sbatch's rejection, "Invalid job id specified") are decided by the client before falling back here.
import type { CommandOutcome } from './command-runner';
import { SlurmCommandError, SlurmUnavailableError, type SlurmError } from './slurm-errors';

/**
 * stderr of a client that could not talk to slurmctld. Recorded on 22.05 with slurmctld stopped:
 * "slurm_load_jobs error: Unable to contact slurm controller (connect failure)" (exit 1, scancel
 * exit 8, after ~4 s with MessageTimeout=5; ~8 s for squeue/scontrol of one job id).
 */
const UNAVAILABLE_PATTERNS: readonly RegExp[] = [
  /Unable to contact slurm controller/i,
  /Socket timed out on send\/recv operation/i,
  /Connection refused/i,
  /Connection timed out/i,
  /Communication connection failure/i,
  /Zero Bytes were transmitted or received/i,
  /No route to host/i,
  /Network is unreachable/i,
  /Transport endpoint is not connected/i,
  /Connection reset by peer/i,
  /backup controller in standby mode/i,
  /Unable to establish controller machine/i,
  /Slurm temporarily unable to accept job/i,
  /Resource temporarily unavailable/i,
  // munge: daemon down, socket missing, credential rejected.
  /\bmunge\b/i,
  /Protocol authentication error/i,
  /Invalid authentication credential/i,
  /authentication failure/i,
];

export function looksUnavailable(stderr: string): boolean {
  return UNAVAILABLE_PATTERNS.some((pattern) => pattern.test(stderr));
}

/** "sbatch: error: X" lines of stderr, as X. */
export function toolErrorLines(stderr: string, tool: string): string[] {
  const prefix = `${tool}: error: `;
  return stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(prefix.length));
}

/** stderr lines sudo itself wrote ("sudo: a password is required", "sudo: unknown user x"). */
export function sudoErrorLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('sudo: '));
}

function firstLines(text: string, count = 5): string {
  return text.trim().split('\n').slice(0, count).join(' | ');
}

/** The error for an outcome that is not a success and has no operation-specific meaning. */
export function failureError(outcome: CommandOutcome, tool: string, asUser?: string): SlurmError {
  const facts = { command: outcome.argv, stderr: outcome.stderr };
  switch (outcome.kind) {
    case 'timed-out':
      return new SlurmUnavailableError(
        `${tool} did not finish within the command time-out; Slurm is not answering`,
        {
          ...facts,
          timedOut: true,
        },
      );
    case 'spawn-failed':
      return new SlurmCommandError(
        outcome.errorCode === 'ENOENT'
          ? `cannot run ${outcome.argv[0]}: not found (is the Slurm client installed, binDir/sudoPath right?)`
          : `cannot run ${outcome.argv[0]}: ${outcome.message}`,
        { ...facts, spawnErrorCode: outcome.errorCode },
      );
    case 'output-limit':
      return new SlurmCommandError(`${tool} printed more output than the limit; it was stopped`, facts);
    case 'exited': {
      const exitFacts = { ...facts, exitCode: outcome.exitCode };
      const sudoLines = asUser === undefined ? [] : sudoErrorLines(outcome.stderr);
      if (sudoLines.length > 0) {
        return new SlurmCommandError(
          `sudo could not run ${tool} as ${asUser}: ${sudoLines.join(' | ')}`,
          exitFacts,
        );
      }
      if (looksUnavailable(outcome.stderr)) {
        return new SlurmUnavailableError(`Slurm is unreachable: ${firstLines(outcome.stderr, 2)}`, exitFacts);
      }
      const how = outcome.signal ? `was killed by ${outcome.signal}` : `exited with ${outcome.exitCode}`;
      const said = outcome.stderr.trim() === '' ? '' : `: ${firstLines(outcome.stderr)}`;
      return new SlurmCommandError(`${tool} ${how}${said}`, exitFacts);
    }
  }
}
