// The poller's rules with a fake Slurm (unit level; the real cluster is in *.int.spec.ts):
// ONE query per tick for all live sessions, Slurm away is not a session state, and a job squeue
// no longer lists is resolved by scontrol, then the end marker, and only then counted as missing.
import type { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { type Observation, type Session, createSession, transition } from '@vizportal/session-domain';
import {
  type JobInfo,
  JobNotFoundError,
  type SlurmClient,
  SlurmUnavailableError,
  parseJobState,
} from '@vizportal/slurm-client';
import type { AppConfig } from '../config/app-config';
import { SchedulerStatus } from './scheduler-status';
import { SessionPoller } from './session-poller';
import type { SessionRepository } from './session.repository';
import type { SessionService } from './session.service';
import type { StagingArea } from './staging-area';
import type { JobAccount } from './job-account';
import type { SessionObserver } from './session-observer';

const now = new Date('2026-11-28T10:00:00Z');

function queued(id: string, jobId: string): Session {
  const session = createSession({
    id,
    owner: 'alice',
    appId: 'desktop',
    appTitle: 'Desktop',
    values: {},
    submitToken: `t${id}`,
    now,
  });
  return transition(session, { kind: 'submitted', at: now, jobId }).session;
}

function job(jobId: string, state: string): JobInfo {
  return {
    jobId,
    state: parseJobState(state),
    reason: null,
    nodes: ['viz01'],
    batchHost: 'viz01',
    startTime: now,
    expectedStartTime: null,
    endTime: null,
    timeLimitMinutes: 60,
    exitStatus: null,
  } as unknown as JobInfo;
}

describe('SessionPoller', () => {
  let store: Map<string, Session>;
  let observed: Array<[string, Observation]>;
  let slurm: jest.Mocked<Pick<SlurmClient, 'queryJobs' | 'showJob' | 'cancel' | 'listPartitions'>>;
  let endMarker: { exitCode: number; reason: string; endedAt: string } | null;
  let scheduler: SchedulerStatus;
  let poller: SessionPoller;

  beforeEach(() => {
    store = new Map(['1', '2', '3'].map((n) => [n, queued(n, `10${n}`)]));
    observed = [];
    endMarker = null;
    slurm = { queryJobs: jest.fn(), showJob: jest.fn(), cancel: jest.fn(), listPartitions: jest.fn() };
    scheduler = new SchedulerStatus();
    const repository = { findLive: async () => [...store.values()] } as unknown as SessionRepository;
    const service = { resolveSubmission: jest.fn() } as unknown as SessionService;
    const observer = {
      rules: { vanishGraceMs: 120_000, readinessTimeoutMs: 300_000 },
      observe: async (session: Session, observation: Observation) => {
        observed.push([session.id, observation]);
        return session;
      },
    } as unknown as SessionObserver;
    const staging = {
      readEndMarker: async () => endMarker,
      messageTail: async () => '',
    } as unknown as StagingArea;
    const config = { get: () => 1000 } as unknown as ConfigService<AppConfig, true>;
    poller = new SessionPoller(
      slurm as unknown as SlurmClient,
      repository,
      service,
      observer,
      staging,
      { nameFor: () => undefined } as unknown as JobAccount,
      scheduler,
      new SchedulerRegistry(),
      config,
    );
  });

  it('asks Slurm about every live session in one query', async () => {
    slurm.queryJobs.mockResolvedValue({
      jobs: [job('101', 'RUNNING'), job('102', 'PENDING'), job('103', 'RUNNING')],
      notListed: [],
    });
    await poller.tick();
    expect(slurm.queryJobs).toHaveBeenCalledTimes(1);
    expect(slurm.queryJobs).toHaveBeenCalledWith(['101', '102', '103']);
    expect(observed.map(([id, o]) => [id, o.kind])).toEqual([
      ['1', 'slurm-job'],
      ['2', 'slurm-job'],
      ['3', 'slurm-job'],
    ]);
  });

  it('keeps every session as it is while Slurm is unreachable, and says so once', async () => {
    const changes: boolean[] = [];
    scheduler.changes.subscribe((status) => changes.push(status.reachable));
    slurm.queryJobs.mockRejectedValue(
      new SlurmUnavailableError('Unable to contact slurm controller', {
        command: ['squeue'],
        exitCode: 1,
        stderr: '',
      }),
    );
    await poller.tick();
    await poller.tick();
    expect(observed).toEqual([]);
    expect(scheduler.current()).toMatchObject({
      reachable: false,
      message: expect.stringContaining('Unable to contact'),
    });
    slurm.queryJobs.mockResolvedValue({
      jobs: [job('101', 'RUNNING'), job('102', 'RUNNING'), job('103', 'RUNNING')],
      notListed: [],
    });
    await poller.tick();
    expect(changes).toEqual([false, true]);
  });

  it('with no live session, still finds out whether Slurm answers, in one light command per tick', async () => {
    store.clear();
    const changes: boolean[] = [];
    scheduler.changes.subscribe((status) => changes.push(status.reachable));
    slurm.listPartitions.mockRejectedValue(
      new SlurmUnavailableError('Unable to contact slurm controller', {
        command: ['scontrol'],
        exitCode: 1,
        stderr: '',
      }),
    );
    await expect(poller.tick()).resolves.toEqual([]);
    expect(scheduler.current()).toMatchObject({
      reachable: false,
      message: expect.stringContaining('Unable to contact'),
    });
    slurm.listPartitions.mockResolvedValue([]);
    await poller.tick();
    expect(changes).toEqual([false, true]);
    expect(slurm.listPartitions).toHaveBeenCalledTimes(2);
    expect(slurm.queryJobs).not.toHaveBeenCalled();
  });

  it('does not read the partitions while there are sessions to ask about', async () => {
    slurm.queryJobs.mockResolvedValue({
      jobs: [job('101', 'RUNNING'), job('102', 'RUNNING'), job('103', 'RUNNING')],
      notListed: [],
    });
    await poller.tick();
    expect(slurm.listPartitions).not.toHaveBeenCalled();
  });

  it('resolves a job squeue no longer lists through scontrol first', async () => {
    slurm.queryJobs.mockResolvedValue({
      jobs: [job('101', 'RUNNING'), job('102', 'RUNNING')],
      notListed: ['103'],
    });
    slurm.showJob.mockResolvedValue(job('103', 'CANCELLED'));
    await poller.tick();
    expect(slurm.showJob).toHaveBeenCalledWith('103');
    expect(observed.find(([id]) => id === '3')?.[1]).toMatchObject({
      kind: 'slurm-job',
      state: { base: 'CANCELLED' },
    });
  });

  it('then by the end marker, and only then reports it as not listed', async () => {
    slurm.queryJobs.mockResolvedValue({
      jobs: [job('101', 'RUNNING'), job('102', 'RUNNING')],
      notListed: ['103'],
    });
    slurm.showJob.mockRejectedValue(
      new JobNotFoundError('Invalid job id specified', { command: ['scontrol'], exitCode: 1, stderr: '' }),
    );
    endMarker = { exitCode: 0, reason: 'app-exited', endedAt: now.toISOString() };
    await poller.tick();
    expect(observed.find(([id]) => id === '3')?.[1]).toMatchObject({
      kind: 'end-marker',
      reason: 'app-exited',
      exitCode: 0,
    });
    observed = [];
    endMarker = null;
    await poller.tick();
    expect(observed.find(([id]) => id === '3')?.[1]).toMatchObject({ kind: 'job-not-listed' });
  });
});
