import {
  InvalidSlurmRequestError,
  JobNotFoundError,
  JobRejectedError,
  type SlurmClient,
  SlurmCommandError,
  SlurmUnavailableError,
} from '@vizportal/slurm-client';
import { InstrumentedSlurmClient, slurmErrorKind } from './instrumented-slurm-client';
import { sampleSum } from '../metrics/prometheus-text';
import { VizportalMetrics } from '../metrics/vizportal-metrics';

function fakeSlurm(): jest.Mocked<SlurmClient> {
  return {
    submit: jest.fn().mockResolvedValue({ jobId: '7', cluster: null, jobName: 'vizportal-t', warnings: [] }),
    findByToken: jest.fn().mockResolvedValue(null),
    queryJobs: jest.fn().mockResolvedValue({ jobs: [], notListed: ['7'] }),
    showJob: jest.fn().mockRejectedValue(new JobNotFoundError('7')),
    cancel: jest.fn().mockRejectedValue(new SlurmUnavailableError('timed out', { timedOut: true })),
    updateTimeLimit: jest.fn().mockResolvedValue(undefined),
    clusterInfo: jest.fn(),
    listPartitions: jest.fn().mockResolvedValue([]),
    listNodes: jest.fn().mockRejectedValue(new SlurmUnavailableError('slurmctld down')),
  };
}

describe('InstrumentedSlurmClient', () => {
  let inner: jest.Mocked<SlurmClient>;
  let metrics: VizportalMetrics;
  let client: InstrumentedSlurmClient;
  const count = async (command: string) =>
    sampleSum(await metrics.render(), 'vizportal_slurm_command_duration_seconds_count', { command });
  const errors = async (command: string, kind: string) =>
    sampleSum(await metrics.render(), 'vizportal_slurm_command_errors_total', { command, kind });

  beforeEach(() => {
    inner = fakeSlurm();
    metrics = new VizportalMetrics();
    client = new InstrumentedSlurmClient(inner, metrics);
  });

  it('passes calls and answers through, timing each under its Slurm command', async () => {
    await expect(client.submit({ token: 't', script: '#!/bin/bash' })).resolves.toMatchObject({ jobId: '7' });
    await expect(client.queryJobs(['7'])).resolves.toEqual({ jobs: [], notListed: ['7'] });
    await client.findByToken('t');
    expect(inner.submit).toHaveBeenCalledWith({ token: 't', script: '#!/bin/bash' });
    expect(inner.queryJobs).toHaveBeenCalledWith(['7']);
    expect(await count('sbatch')).toBe(1);
    expect(await count('squeue')).toBe(2);
    expect(await count('scancel')).toBeUndefined();
  });

  it('times and counts failures by kind, and rethrows the very error', async () => {
    await expect(client.showJob('7')).rejects.toBeInstanceOf(JobNotFoundError);
    await expect(client.cancel('7', { asUser: 'alice' })).rejects.toBeInstanceOf(SlurmUnavailableError);
    expect(inner.cancel).toHaveBeenCalledWith('7', { asUser: 'alice' });
    expect(await count('scontrol')).toBe(1);
    expect(await errors('scontrol', 'not_found')).toBe(1);
    expect(await errors('scancel', 'timeout')).toBe(1);
  });

  it('answers clusterInfo from listPartitions and listNodes, each timed as its own command', async () => {
    inner.listNodes.mockResolvedValue([]);
    await expect(client.clusterInfo()).resolves.toEqual({ partitions: [], nodes: [] });
    expect(inner.clusterInfo).not.toHaveBeenCalled();
    expect(await count('scontrol')).toBe(1);
    expect(await count('sinfo')).toBe(1);
  });

  it('names error kinds from the typed errors, never from messages', () => {
    expect(slurmErrorKind(new SlurmUnavailableError('x'))).toBe('unavailable');
    expect(slurmErrorKind(new SlurmUnavailableError('x', { timedOut: true }))).toBe('timeout');
    expect(slurmErrorKind(new JobRejectedError('bad partition'))).toBe('rejected');
    expect(slurmErrorKind(new JobNotFoundError('1'))).toBe('not_found');
    expect(slurmErrorKind(new InvalidSlurmRequestError('cpus', 'too many'))).toBe('invalid_request');
    expect(slurmErrorKind(new SlurmCommandError('odd output'))).toBe('command_failed');
    expect(slurmErrorKind(new Error('boom'))).toBe('other');
  });
});
