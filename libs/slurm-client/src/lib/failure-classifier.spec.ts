// What a failed command means, judged from stderr recorded on the cluster.
import { outcomeOf, recorded } from './__fixtures__/recorded-commands';
import { failureError, looksUnavailable, toolErrorLines } from './failure-classifier';
import { SlurmCommandError, SlurmUnavailableError } from './slurm-errors';

describe('failure classification from recorded stderr', () => {
  it.each([
    'squeue-ctld-down',
    'squeue-one-ctld-down',
    'sinfo-ctld-down',
    'scontrol-partitions-ctld-down',
    'scontrol-job-ctld-down',
    'scancel-ctld-down',
    'sbatch-ctld-down',
    'squeue-munge-failure',
    'squeue-socket-timeout',
  ])('%s means Slurm is unavailable', (name) => {
    const command = recorded(name);
    expect(command.exitCode).not.toBe(0);
    expect(looksUnavailable(command.stderr)).toBe(true);
    const error = failureError(outcomeOf(command), command.argv[0]);
    expect(error).toBeInstanceOf(SlurmUnavailableError);
    expect((error as SlurmUnavailableError).timedOut).toBe(false);
    expect(error.exitCode).toBe(command.exitCode);
    expect(error.command).toEqual(command.argv);
  });

  it.each([
    'sbatch-rejected-partition',
    'sbatch-rejected-memory',
    'sbatch-rejected-gres',
    'squeue-one-unknown',
    'scontrol-job-unknown',
    'scancel-other-user',
  ])('%s does not look like an unreachable Slurm', (name) => {
    expect(looksUnavailable(recorded(name).stderr)).toBe(false);
  });

  it("takes sbatch's own messages from its error lines", () => {
    expect(toolErrorLines(recorded('sbatch-rejected-partition').stderr, 'sbatch')).toEqual([
      'invalid partition specified: nosuch',
      'Batch job submission failed: Invalid partition name specified',
    ]);
  });

  it('names sudo when sudo refused', () => {
    const command = recorded('sbatch-sudo-unknown-user');
    const error = failureError(outcomeOf(command), 'sbatch', 'nosuchuser');
    expect(error).toBeInstanceOf(SlurmCommandError);
    expect(error.message).toContain('sudo could not run sbatch as nosuchuser: sudo: unknown user nosuchuser');
  });

  it('reports a permission error as a command error with stderr', () => {
    const command = recorded('scancel-other-user');
    const error = failureError(outcomeOf(command), 'scancel', 'alice');
    expect(error).toBeInstanceOf(SlurmCommandError);
    expect(error.exitCode).toBe(210);
    expect(error.message).toContain('Access/permission denied');
  });

  it('reports our time-out as unavailable with timedOut, and ENOENT clearly', () => {
    const base = { argv: ['squeue'], stdout: '', stderr: '', durationMs: 15000 };
    const timedOut = failureError({ kind: 'timed-out', ...base }, 'squeue');
    expect(timedOut).toBeInstanceOf(SlurmUnavailableError);
    expect((timedOut as SlurmUnavailableError).timedOut).toBe(true);
    const missing = failureError(
      { kind: 'spawn-failed', errorCode: 'ENOENT', message: 'spawn squeue ENOENT', ...base },
      'squeue',
    );
    expect(missing).toBeInstanceOf(SlurmCommandError);
    expect((missing as SlurmCommandError).spawnErrorCode).toBe('ENOENT');
    expect(missing.message).toMatch(/not found/);
  });
});
