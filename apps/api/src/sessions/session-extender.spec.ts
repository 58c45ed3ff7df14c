// SessionExtender with fakes around it: what it asks Slurm, which limits it goes by, how Slurm's
// refusals reach the user, and that two extensions at once cannot both pass the site's limit.
import type { ConfigService } from '@nestjs/config';
import { createSession, type Session, transition } from '@vizportal/session-domain';
import {
  type JobInfo,
  JobNotFoundError,
  type PartitionInfo,
  type SlurmClient,
  SlurmPermissionError,
} from '@vizportal/slurm-client';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import type { ClusterService } from '../cluster/cluster.service';
import type { AppConfig } from '../config/app-config';
import { ExtensionNotPermittedError, ExtensionRefusedError, SessionNotFoundError } from './session-errors';
import { SessionExtender } from './session-extender';
import type { SessionObserver } from './session-observer';
import type { SessionService } from './session.service';

const alice = { username: 'alice', isAdmin: false } as AuthenticatedUser;

function runningSession(): Session {
  const made = createSession({
    id: 's1',
    owner: 'alice',
    appId: 'desktop',
    appTitle: 'Desktop',
    values: {},
    submitToken: 't',
    timeLimitMinutes: 60,
    now: new Date(),
  });
  return { ...made, state: 'running', jobId: '42', startedAt: new Date() };
}

function setUp(options: { siteMaxHours?: number; slurmLimit?: number; partitionMax?: number | null } = {}) {
  const stored = new Map<string, Session>([['s1', runningSession()]]);
  const slurm = {
    showJob: jest.fn(
      async (): Promise<JobInfo> =>
        ({ jobId: '42', partition: 'viz', timeLimitMinutes: options.slurmLimit ?? 60 }) as JobInfo,
    ),
    updateTimeLimit: jest.fn(async () => undefined),
  };
  const sessions = {
    get: jest.fn(async (user: AuthenticatedUser, id: string) => {
      const session = stored.get(id);
      if (!session || session.owner !== user.username) throw new SessionNotFoundError();
      return session;
    }),
  };
  const partitions = [
    { name: 'viz', maxTimeMinutes: options.partitionMax === undefined ? 480 : options.partitionMax },
  ] as PartitionInfo[];
  const cluster = { info: jest.fn(async () => ({ partitions, nodes: [] })) };
  const observer = {
    observe: jest.fn(async (session: Session, observation: Parameters<typeof transition>[1]) => {
      const next = transition(stored.get(session.id) as Session, observation).session;
      stored.set(session.id, next);
      return next;
    }),
  };
  const config = { get: () => options.siteMaxHours ?? 8 } as unknown as ConfigService<AppConfig, true>;
  const extender = new SessionExtender(
    slurm as unknown as SlurmClient,
    sessions as unknown as SessionService,
    cluster as unknown as ClusterService,
    observer as unknown as SessionObserver,
    config,
  );
  return { extender, slurm, stored, observer };
}

describe('SessionExtender', () => {
  it('asks Slurm for the limit it has now plus what was asked, and records it', async () => {
    const { extender, slurm, stored } = setUp();
    const extended = await extender.extend(alice, 's1', 30);
    expect(slurm.updateTimeLimit).toHaveBeenCalledWith('42', 90);
    expect(extended).toMatchObject({ timeLimitMinutes: 90, extendedMinutes: 30 });
    expect(stored.get('s1')?.timeLimitMinutes).toBe(90);
  });

  it("goes by Slurm's limit when an operator changed it since the last poll", async () => {
    const { extender, slurm } = setUp({ slurmLimit: 120 });
    await extender.extend(alice, 's1', 30);
    expect(slurm.updateTimeLimit).toHaveBeenCalledWith('42', 150);
  });

  it("refuses past the partition's MaxTime without asking Slurm to change anything", async () => {
    const { extender, slurm } = setUp({ partitionMax: 75 });
    await expect(extender.extend(alice, 's1', 30)).rejects.toThrow(
      new ExtensionRefusedError(
        'Its partition allows at most 1 h 15 min; this session has 1 h, so 15 min more at most.',
      ),
    );
    expect(slurm.updateTimeLimit).not.toHaveBeenCalled();
  });

  it('refuses at once, before any Slurm command, when the site has Extend off', async () => {
    const { extender, slurm } = setUp({ siteMaxHours: 0 });
    await expect(extender.extend(alice, 's1', 30)).rejects.toThrow(
      'Your site does not let sessions be extended.',
    );
    expect(slurm.showJob).not.toHaveBeenCalled();
  });

  it("answers Slurm's permission refusal with the sentence for the administrator, and keeps the limit", async () => {
    const { extender, slurm, stored } = setUp();
    slurm.updateTimeLimit.mockRejectedValueOnce(
      new SlurmPermissionError('Access/permission denied for job 42'),
    );
    const attempt = extender.extend(alice, 's1', 30);
    await expect(attempt).rejects.toBeInstanceOf(ExtensionNotPermittedError);
    await expect(attempt).rejects.toThrow(/must be a Slurm operator/);
    expect(stored.get('s1')?.timeLimitMinutes).toBe(60);
  });

  it('says the session has ended when Slurm no longer has its job', async () => {
    const { extender, slurm } = setUp();
    slurm.showJob.mockRejectedValueOnce(new JobNotFoundError('42'));
    await expect(extender.extend(alice, 's1', 30)).rejects.toThrow(
      'The session has ended: Slurm no longer has its job.',
    );
  });

  it("gives someone else's session the same 404 as an unknown one", async () => {
    const { extender, slurm } = setUp();
    await expect(
      extender.extend({ username: 'bob', isAdmin: false } as AuthenticatedUser, 's1', 30),
    ).rejects.toThrow(SessionNotFoundError);
    expect(slurm.showJob).not.toHaveBeenCalled();
  });

  it("lets only one of two extensions at once through when together they would pass the site's limit", async () => {
    const { extender, slurm } = setUp({ siteMaxHours: 1 });
    const results = await Promise.allSettled([
      extender.extend(alice, 's1', 40),
      extender.extend(alice, 's1', 40),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(slurm.updateTimeLimit).toHaveBeenCalledTimes(1);
  });
});
