// SessionService.resolveSubmission with a fake Slurm (unit level; the real race, a stopped
// slurmctld taking a timed-out sbatch when it resumes, is in apps/api/test/faults/scheduler-outage.int.spec.ts):
// a submitting session whose sbatch answer was lost adopts its job if Slurm lists it, and is
// submitted again only once Slurm has answered for a whole command time-out.
import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import type { HttpAdapterHost } from '@nestjs/core';
import { type AppManifest, loadCatalog } from '@vizportal/job-templates';
import { type Session, createSession } from '@vizportal/session-domain';
import { type JobInfo, type SlurmClient, SlurmUnavailableError } from '@vizportal/slurm-client';
import type { CatalogService } from '../catalog/catalog.service';
import type { LaunchSettingsService } from '../launch-settings/launch-settings.service';
import { ConnectTokenService } from './connect-token.service';
import type { AppConfig } from '../config/app-config';
import { SchedulerStatus } from './scheduler-status';
import type { SessionGateway } from './session.gateway';
import type { SessionRepository } from './session.repository';
import { SessionService } from './session.service';
import type { StagingArea } from './staging-area';
import { SessionObserver } from './session-observer';
import { SessionPresenter } from './session-presenter';
import type { JobAccount } from './job-account';
import { VncConnections } from './vnc-connections';
import type { AuthService } from '../auth/auth.service';
import type { UserService } from '../auth/user.service';
import { OPEN_SITE_POLICY } from '../policy/site-policy-file';
import { SitePolicy } from '../policy/site-policy.service';

const OPEN_POLICY = new SitePolicy(OPEN_SITE_POLICY);
const NO_ACCOUNTS = { findByUsername: async () => null } as unknown as UserService;

/** Jobs run as the API's own account: no sudo, no chown. */
const NO_ACCOUNT_SWITCH = { nameFor: () => undefined, resolve: async () => null } as unknown as JobAccount;

const TIMEOUT_MS = 3000;
const t0 = new Date('2026-11-28T10:00:00Z');
const after = (ms: number) => new Date(t0.getTime() + ms);

describe('SessionService.resolveSubmission', () => {
  let slurm: jest.Mocked<Pick<SlurmClient, 'submit' | 'findByToken'>>;
  let scheduler: SchedulerStatus;
  let service: SessionService;
  let stored: Session;

  beforeEach(() => {
    stored = createSession({
      id: 's1',
      owner: 'alice',
      appId: 'xterm',
      appTitle: 'Terminal',
      values: {},
      submitToken: 'a'.repeat(32),
      now: t0,
    });
    slurm = { submit: jest.fn(), findByToken: jest.fn() };
    scheduler = new SchedulerStatus();
    const repository = {
      findById: async () => stored,
      save: async (session: Session) => void (stored = session),
      setReadinessSecretHash: async () => undefined,
    } as unknown as SessionRepository;
    const staging = {
      readScript: async () => '#!/bin/bash\n',
      outputPath: () => '/tmp/s1/output.log',
      dirOf: () => '/tmp/s1',
    } as unknown as StagingArea;
    const config = {
      get: (key: string) =>
        ({
          READINESS_TIMEOUT_SECONDS: 300,
          SESSION_TIME_WARNING_MINUTES: 10,
          VANISH_GRACE_SECONDS: 120,
          READINESS_BASE_URL: 'http://127.0.0.1:1',
          SLURM_COMMAND_TIMEOUT_MS: TIMEOUT_MS,
        })[key],
    } as unknown as ConfigService<AppConfig, true>;
    const gateway = { sessionUpdated: () => undefined } as unknown as SessionGateway;
    service = new SessionService(
      slurm as unknown as SlurmClient,
      repository,
      {} as CatalogService,
      staging,
      new SessionObserver(slurm as unknown as SlurmClient, repository, staging, gateway, config),
      gateway,
      {} as ConnectTokenService,
      {} as HttpAdapterHost,
      scheduler,
      NO_ACCOUNT_SWITCH,
      {} as VncConnections,
      OPEN_POLICY,
      NO_ACCOUNTS,
      {} as AuthService,
      new SessionPresenter(config),
      {} as LaunchSettingsService,
      config,
    );
  });

  it('adopts the job Slurm lists under the session token, without submitting', async () => {
    slurm.findByToken.mockResolvedValue({ jobId: '42' } as JobInfo);
    const resolved = await service.resolveSubmission(stored, after(TIMEOUT_MS + 1));
    expect(resolved).toMatchObject({ state: 'queued', jobId: '42' });
    expect(slurm.submit).not.toHaveBeenCalled();
  });

  it('does not submit again while Slurm has only just come back, since it may still take the lost sbatch', async () => {
    scheduler.unreachable('sbatch did not finish', after(0));
    scheduler.reachable(after(TIMEOUT_MS));
    slurm.findByToken.mockResolvedValue(null);
    expect(await service.resolveSubmission(stored, after(TIMEOUT_MS + 1000))).toMatchObject({
      state: 'submitting',
      jobId: null,
    });
    expect(slurm.submit).not.toHaveBeenCalled();
  });

  it('submits again once Slurm has answered for a whole command time-out and still lists no job', async () => {
    scheduler.unreachable('sbatch did not finish', after(0));
    scheduler.reachable(after(TIMEOUT_MS));
    slurm.findByToken.mockResolvedValue(null);
    slurm.submit.mockResolvedValue({ jobId: '43', cluster: null, jobName: 'vizportal-x', warnings: [] });
    expect(await service.resolveSubmission(stored, after(2 * TIMEOUT_MS))).toMatchObject({
      state: 'queued',
      jobId: '43',
    });
    expect(slurm.submit).toHaveBeenCalledTimes(1);
  });

  it('marks Slurm unreachable when sbatch itself times out, and keeps the session submitting', async () => {
    slurm.submit.mockRejectedValue(
      new SlurmUnavailableError('sbatch did not finish within the command time-out', {
        command: ['sbatch'],
        exitCode: null,
        stderr: '',
      }),
    );
    expect(await service.submit(stored, '#!/bin/bash\n')).toMatchObject({ state: 'submitting' });
    expect(scheduler.current()).toMatchObject({ reachable: false });
  });
});

describe('SessionService.list', () => {
  const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
  const make = (id: string, minutes: number, state: Session['state'], owner = 'alice'): Session => ({
    ...createSession({
      id,
      owner,
      appId: 'xterm',
      appTitle: 'Terminal',
      values: {},
      submitToken: `tok-${id}`,
      now: at(minutes),
    }),
    state,
  });
  let repository: { findLive: jest.Mock; findEnded: jest.Mock };
  let service: SessionService;
  const alice = { username: 'alice', isAdmin: false, groups: [] };

  beforeEach(() => {
    repository = { findLive: jest.fn(), findEnded: jest.fn() };
    const config = { get: () => 1 } as unknown as ConfigService<AppConfig, true>;
    service = new SessionService(
      {} as SlurmClient,
      repository as unknown as SessionRepository,
      {} as CatalogService,
      {} as StagingArea,
      {} as SessionObserver,
      {} as SessionGateway,
      {} as ConnectTokenService,
      {} as HttpAdapterHost,
      new SchedulerStatus(),
      NO_ACCOUNT_SWITCH,
      {} as VncConnections,
      OPEN_POLICY,
      NO_ACCOUNTS,
      {} as AuthService,
      new SessionPresenter(config),
      {} as LaunchSettingsService,
      config,
    );
  });

  it('first page: every live session and `limit` ended ones, newest first, and where the next page starts', async () => {
    repository.findLive.mockResolvedValue([make('queued-old', 1, 'queued'), make('running', 9, 'running')]);
    // The repository is asked for one more than the limit: that one only says an older page exists.
    repository.findEnded.mockResolvedValue([
      make('e8', 8, 'completed'),
      make('e5', 5, 'failed'),
      make('e2', 2, 'cancelled'),
    ]);
    const page = await service.list(alice, { limit: 2, before: null });
    expect(repository.findLive).toHaveBeenCalledWith('alice');
    expect(repository.findEnded).toHaveBeenCalledWith({ owner: 'alice', limit: 3, before: null });
    expect(page.sessions.map((s) => s.id)).toEqual(['running', 'e8', 'e5', 'queued-old']);
    expect(page.next).toEqual({ createdAt: at(5), id: 'e5' });
  });

  it('an older page: only ended sessions after the cursor, no live ones; the last page has no next', async () => {
    repository.findEnded.mockResolvedValue([make('e2', 2, 'cancelled')]);
    const before = { createdAt: at(5), id: 'e5' };
    const page = await service.list(alice, { limit: 2, before });
    expect(repository.findLive).not.toHaveBeenCalled();
    expect(repository.findEnded).toHaveBeenCalledWith({ owner: 'alice', limit: 3, before });
    expect(page).toEqual({ sessions: [expect.objectContaining({ id: 'e2' })], next: null });
  });

  it("shows a session that ended between the two reads once, ended; and an admin everyone's", async () => {
    repository.findLive.mockResolvedValue([make('s', 3, 'running', 'bob')]);
    repository.findEnded.mockResolvedValue([make('s', 3, 'completed', 'bob')]);
    const page = await service.list(
      { username: 'root', isAdmin: true, groups: [] },
      { limit: 20, before: null },
    );
    expect(repository.findLive).toHaveBeenCalledWith(null);
    expect(repository.findEnded).toHaveBeenCalledWith({ owner: null, limit: 21, before: null });
    expect(page.sessions.map((s) => `${s.id}:${s.state}`)).toEqual(['s:completed']);
    expect(page.next).toBeNull();
  });
});

describe('SessionService.connect', () => {
  const alice = { username: 'alice', isAdmin: false, groups: [] };
  const config = {
    get: (key: string) =>
      ({
        VNC_CONNECT_TOKEN_TTL_SECONDS: 30,
        VNC_MAX_CONNECTIONS_PER_SESSION: 2,
        VNC_MAX_CONNECTIONS_PER_USER: 3,
        SESSION_TIME_WARNING_MINUTES: 10,
      })[key],
  } as unknown as ConfigService<AppConfig, true>;
  let tokens: ConnectTokenService;
  let limits: VncConnections;
  let service: SessionService;

  beforeEach(() => {
    tokens = new ConnectTokenService(config);
    limits = new VncConnections(config);
    const running = (id: string): Session => ({
      ...createSession({
        id,
        owner: 'alice',
        appId: 'xterm',
        appTitle: 'Terminal',
        values: {},
        submitToken: `tok-${id}`,
        now: t0,
      }),
      state: 'running',
      node: 'viz01',
      endpoint: { port: 5921, display: 21 },
    });
    const repository = {
      findById: async (id: string) => running(id),
      findVncPassword: async () => 'pw123456',
    } as unknown as SessionRepository;
    service = new SessionService(
      {} as SlurmClient,
      repository,
      {} as CatalogService,
      {} as StagingArea,
      {} as SessionObserver,
      {} as SessionGateway,
      tokens,
      {} as HttpAdapterHost,
      new SchedulerStatus(),
      NO_ACCOUNT_SWITCH,
      limits,
      OPEN_POLICY,
      NO_ACCOUNTS,
      {} as AuthService,
      new SessionPresenter(config),
      {} as LaunchSettingsService,
      config,
    );
  });

  afterEach(() => tokens.onModuleDestroy());

  it('answers 429 with a sentence for the browser, and issues no token, while the desktop has its most connections', async () => {
    limits.take({ sessionId: 's1', owner: 'alice', username: 'alice' });
    limits.take({ sessionId: 's1', owner: 'alice', username: 'alice' });
    const issue = jest.spyOn(tokens, 'issue');

    await expect(service.connect(alice, 's1')).rejects.toMatchObject({
      status: 429,
      message:
        'This desktop is already open in 2 windows or tabs, the most at once: close one of them to open it here.',
    });
    expect(issue).not.toHaveBeenCalled();
    // Another of alice's desktops is still within her own limit.
    await expect(service.connect(alice, 's2')).resolves.toMatchObject({
      path: expect.stringContaining('/api/sessions/s2/vnc?token='),
    });
  });

  it('answers 429 once the user has their most connections open across sessions', async () => {
    limits.take({ sessionId: 's1', owner: 'alice', username: 'alice' });
    limits.take({ sessionId: 's2', owner: 'alice', username: 'alice' });
    const free = limits.take({ sessionId: 's3', owner: 'alice', username: 'alice' });

    await expect(service.connect(alice, 's4')).rejects.toMatchObject({
      status: 429,
      message:
        'You already have 3 desktop windows or tabs open, the most at once: close one of them to open this one.',
    });
    free();
    await expect(service.connect(alice, 's4')).resolves.toHaveProperty('token');
  });
});

describe('SessionService.launch keeps the values as the last for the app', () => {
  const alice = { username: 'alice', isAdmin: false, groups: [] };
  const xterm = loadCatalog(resolve(__dirname, '../../../../catalog')).get('xterm') as AppManifest;
  let recordLastValues: jest.Mock;
  let slurm: jest.Mocked<Pick<SlurmClient, 'submit'>>;
  let service: SessionService;
  let inserted: Session[];

  beforeEach(() => {
    inserted = [];
    recordLastValues = jest.fn().mockResolvedValue(undefined);
    slurm = {
      submit: jest
        .fn()
        .mockResolvedValue({ jobId: '7', cluster: null, jobName: 'vizportal-x', warnings: [] }),
    };
    const config = {
      get: (key: string) =>
        ({
          READINESS_TIMEOUT_SECONDS: 300,
          SESSION_TIME_WARNING_MINUTES: 10,
          VANISH_GRACE_SECONDS: 120,
          READINESS_BASE_URL: 'http://127.0.0.1:1',
          SLURM_COMMAND_TIMEOUT_MS: TIMEOUT_MS,
        })[key],
    } as unknown as ConfigService<AppConfig, true>;
    const repository = {
      insertWithinQuota: async (session: Session, _holds: unknown, check: (records: []) => void) => {
        check([]);
        inserted.push(session);
      },
      findById: async (id: string) => inserted.find((session) => session.id === id) ?? null,
      save: async () => undefined,
      setReadinessSecretHash: async () => undefined,
    } as unknown as SessionRepository;
    const staging = {
      dirOf: (id: string) => `/tmp/${id}`,
      outputPath: (id: string) => `/tmp/${id}/output.log`,
      prepare: async () => undefined,
      remove: async () => undefined,
    } as unknown as StagingArea;
    const catalog = {
      find: () => xterm,
      appFor: () => xterm,
      choiceContext: async () => ({ partitions: [{ name: 'viz', isDefault: true }] }),
    } as unknown as CatalogService;
    const gateway = { sessionUpdated: () => undefined } as unknown as SessionGateway;
    service = new SessionService(
      slurm as unknown as SlurmClient,
      repository,
      catalog,
      staging,
      new SessionObserver(slurm as unknown as SlurmClient, repository, staging, gateway, config),
      gateway,
      {} as ConnectTokenService,
      {} as HttpAdapterHost,
      new SchedulerStatus(),
      NO_ACCOUNT_SWITCH,
      {} as VncConnections,
      OPEN_POLICY,
      NO_ACCOUNTS,
      {} as AuthService,
      new SessionPresenter(config),
      { recordLastValues } as unknown as LaunchSettingsService,
      config,
    );
  });

  it("records the launch's checked values, defaults filled in, once the session is recorded", async () => {
    // Asserted afterwards: launch catches whatever recordLastValues throws.
    let sessionsWhenRecorded = -1;
    recordLastValues.mockImplementation(async () => void (sessionsWhenRecorded = inserted.length));
    await service.launch(alice, 'xterm', { hours: 2 });
    expect(sessionsWhenRecorded).toBe(1);
    expect(recordLastValues).toHaveBeenCalledWith('alice', 'xterm', {
      partition: 'viz',
      hours: 2,
      title: 'Terminal',
    });
  });

  it('records nothing for a launch it refuses', async () => {
    await expect(service.launch(alice, 'xterm', { hours: 99 })).rejects.toThrow();
    expect(recordLastValues).not.toHaveBeenCalled();
  });

  it('still submits the job when the values cannot be kept', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    recordLastValues.mockRejectedValue(new Error('database is locked'));
    expect(await service.launch(alice, 'xterm', {})).toMatchObject({ state: 'queued', jobId: '7' });
    expect(slurm.submit).toHaveBeenCalledTimes(1);
    expect(Logger.prototype.warn).toHaveBeenCalledWith(expect.stringContaining('database is locked'));
  });
});
