// sbatch arguments: identical to the recorded commands, and refusal of unsafe values.
import { recorded } from './__fixtures__/recorded-commands';
import { exportArgument, parseParsableOutput, sbatchCommand } from './sbatch-command';
import { InvalidSlurmRequestError } from './slurm-errors';
import type { SubmitRequest } from './slurm-client';

const JOB_DIR = '/tmp/vizportal-fixture-jobs';
const base = (name: string, more: Partial<SubmitRequest> = {}): SubmitRequest => ({
  token: `fixture-${name}`,
  script: recorded(`sbatch-${name}`).stdin ?? '#!/bin/bash\n',
  partition: 'viz',
  cpus: 1,
  memoryMb: 256,
  timeLimitMinutes: 5,
  outputPath: `${JOB_DIR}/%j.out`,
  workDir: JOB_DIR,
  ...more,
});

describe('sbatchCommand', () => {
  it.each<[string, Partial<SubmitRequest>]>([
    ['held', { hold: true, comment: 'recorded by record-fixtures.sh' }],
    ['running', { cpus: 4, memoryMb: 1024, timeLimitMinutes: 10 }],
    ['completed', { env: { VIZ_FIXTURE: 'yes', VIZ_OTHER: '2' } }],
    ['failed', {}],
    ['over-limit', { timeLimitMinutes: 1563 }],
  ])('builds the recorded argv for the %s case', (name, more) => {
    const { args, jobName } = sbatchCommand(base(name, more), 'vizportal-');
    expect(['sbatch', ...args]).toEqual(recorded(`sbatch-${name}`).argv);
    expect(jobName).toBe(`vizportal-fixture-${name}`);
  });

  it('builds the recorded argv of the rejected gres request', () => {
    const { args } = sbatchCommand(
      base('rejected-gres', { token: 'fixture-rejected', gres: 'gpu:1' }),
      'vizportal-',
    );
    expect(['sbatch', ...args]).toEqual(recorded('sbatch-rejected-gres').argv);
  });

  it('writes every option as one --name=value word, so a value cannot become an option', () => {
    const { args } = sbatchCommand(
      base('failed', { partition: 'viz', account: 'proj-1', qos: 'normal', gpus: 'a100:2' }),
      'vizportal-',
    );
    for (const arg of args) expect(arg).toMatch(/^--[a-z-]+(=|$)/);
    expect(args).toContain('--gpus=a100:2');
  });

  it.each<[string, Partial<SubmitRequest>]>([
    ['token', { token: 'a b' }],
    ['token', { token: '--hold' }],
    ['token', { token: '' }],
    ['partition', { partition: 'viz,debug;rm' }],
    ['cpus', { cpus: 0 }],
    ['cpus', { cpus: 1.5 }],
    ['memoryMb', { memoryMb: -1 }],
    ['timeLimitMinutes', { timeLimitMinutes: Number.NaN }],
    ['comment', { comment: 'two\nlines' }],
    ['outputPath', { outputPath: 'a\nb' }],
    ['env', { env: { 'BAD-NAME': 'x' } }],
    ['env', { env: { OK: 'a,b' } }],
    ['script', { script: 'echo no shebang' }],
  ])('refuses a bad %s before running anything', (field, more) => {
    const attempt = () => sbatchCommand(base('failed', more), 'vizportal-');
    expect(attempt).toThrow(InvalidSlurmRequestError);
    try {
      attempt();
    } catch (err) {
      expect((err as InvalidSlurmRequestError).field).toBe(field);
    }
  });

  it('exports NONE, only the given variables, or ALL plus them', () => {
    expect(exportArgument('none')).toBe('NONE');
    expect(exportArgument('none', { A: '1', B: 'x y' })).toBe('A=1,B=x y');
    expect(exportArgument('all', { A: '1' })).toBe('ALL,A=1');
    // Secrets are named only: sbatch copies their values from its own environment.
    expect(exportArgument('none', { A: '1' }, ['SECRET'])).toBe('A=1,SECRET');
    expect(exportArgument('none', {}, ['SECRET'])).toBe('SECRET');
    expect(exportArgument('all', {}, ['SECRET'])).toBe('ALL');
    expect(() => exportArgument('none', {}, ['BAD NAME'])).toThrow(/secretEnv/);
  });
});

describe('parseParsableOutput', () => {
  it('reads the recorded answer and the cluster form', () => {
    const stdout = recorded('sbatch-held').stdout;
    expect(parseParsableOutput(stdout)).toEqual({ jobId: stdout.trim(), cluster: null });
    expect(parseParsableOutput('123;vizportal\n')).toEqual({ jobId: '123', cluster: 'vizportal' });
    expect(parseParsableOutput('')).toBeNull();
    expect(parseParsableOutput('Submitted batch job 5\n')).toBeNull();
  });
});
