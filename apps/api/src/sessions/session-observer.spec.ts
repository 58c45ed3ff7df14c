// SessionObserver.observe: a job that failed by itself carries the end of its output as its
// message; one that says why already, or completed, reads no output.
import type { ConfigService } from '@nestjs/config';
import { type EndMarkerReason, type Session, createSession } from '@vizportal/session-domain';
import type { JobInfo, SlurmClient } from '@vizportal/slurm-client';
import type { AppConfig } from '../config/app-config';
import type { SessionGateway } from './session.gateway';
import { SessionObserver } from './session-observer';
import type { SessionRepository } from './session.repository';
import type { StagingArea } from './staging-area';

const t0 = new Date('2026-11-28T10:00:00Z');
const after = (ms: number) => new Date(t0.getTime() + ms);

describe('SessionObserver.observe', () => {
  let stored: Session;
  let messageTail: jest.Mock;
  let observer: SessionObserver;
  const ended = (exitCode: number, reason: EndMarkerReason) =>
    ({ kind: 'end-marker', at: after(60_000), exitCode, reason, endedAt: after(60_000) }) as const;

  beforeEach(() => {
    stored = {
      ...createSession({
        id: 's1',
        owner: 'alice',
        appId: 'gedit',
        appTitle: 'gedit',
        values: {},
        submitToken: 'b'.repeat(32),
        now: t0,
      }),
      state: 'running',
      jobId: '42',
      startedAt: t0,
    };
    messageTail = jest.fn();
    const repository = {
      findById: async () => stored,
      save: async (session: Session) => void (stored = session),
    } as unknown as SessionRepository;
    observer = new SessionObserver(
      {} as SlurmClient,
      repository,
      { messageTail } as unknown as StagingArea,
      { sessionUpdated: () => undefined } as unknown as SessionGateway,
      { get: () => 1 } as unknown as ConfigService<AppConfig, true>,
    );
  });

  it('gives a job that failed by itself the end of its output as the message, and saves it so', async () => {
    messageTail.mockResolvedValue(
      '/tmp/job.sh: line 90: exec: apptainer: not found\nvizportal: ended: app-exited, exit status 127',
    );
    const failed = await observer.observe(stored, ended(127, 'app-exited'));
    expect(failed).toMatchObject({ state: 'failed', endReason: 'failed', exitCode: 127 });
    expect(failed.message).toBe(
      '/tmp/job.sh: line 90: exec: apptainer: not found\nvizportal: ended: app-exited, exit status 127',
    );
    expect(stored.message).toBe(failed.message);
  });

  it('reads no output for a session that completed, or failed for a reason it already names', async () => {
    expect(await observer.observe(stored, ended(0, 'app-exited'))).toMatchObject({
      state: 'completed',
      message: null,
    });
    stored = { ...stored, state: 'running', endedAt: null, endReason: null, exitCode: null };
    expect(await observer.observe(stored, ended(1, 'xvnc-failed'))).toMatchObject({
      state: 'failed',
      endReason: 'failed',
      message: expect.stringContaining('no free VNC display'),
    });
    expect(messageTail).not.toHaveBeenCalled();
  });

  it('still ends the session when its output cannot be read', async () => {
    messageTail.mockRejectedValue(new Error('EIO'));
    expect(await observer.observe(stored, ended(2, 'app-exited'))).toMatchObject({
      state: 'failed',
      endReason: 'failed',
      message: null,
    });
  });
});

describe('SessionObserver.learnJob', () => {
  it("finds the job by its token when the sbatch's answer was lost, so a desktop that reports ready has its job and node", async () => {
    let stored: Session = createSession({
      id: 's2',
      owner: 'alice',
      appId: 'xterm',
      appTitle: 'Terminal',
      values: {},
      submitToken: 'c'.repeat(32),
      now: t0,
    });
    const running = {
      jobId: '77',
      state: { base: 'RUNNING', flags: [] },
      reason: null,
      batchHost: 'viz02',
      nodes: ['viz02'],
      expectedStartTime: null,
      startTime: after(1_000),
      endTime: null,
      timeLimitMinutes: 60,
      exitStatus: null,
    } as unknown as JobInfo;
    const findByToken = jest.fn(async () => running);
    const observer = new SessionObserver(
      { findByToken, queryJobs: jest.fn() } as unknown as SlurmClient,
      {
        findById: async () => stored,
        save: async (session: Session) => void (stored = session),
      } as unknown as SessionRepository,
      {} as StagingArea,
      { sessionUpdated: () => undefined } as unknown as SessionGateway,
      { get: () => 1 } as unknown as ConfigService<AppConfig, true>,
    );
    await observer.learnJob(stored);
    expect(findByToken).toHaveBeenCalledWith('c'.repeat(32));
    expect(stored).toMatchObject({ state: 'starting', jobId: '77', node: 'viz02' });
  });
});
