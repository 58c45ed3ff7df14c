// The session use cases: launch (validate, render, submit idempotently), list, stop, delete,
// relaunch, connect and read the log. Every change they make goes through SessionObserver.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import { JOB_ENV, renderJobScript, validateChoices } from '@vizportal/job-templates';
import {
  QUOTA_LABELS,
  QUOTA_NAMES,
  type QuotaLimits,
  type QuotaReportDto,
  quotaRefusal,
} from '@vizportal/site-policy';
import { type Session, type SessionValues, createSession, isLive } from '@vizportal/session-domain';
import {
  JobNotFoundError,
  JobRejectedError,
  SLURM_CLIENT,
  type SlurmClient,
  SlurmUnavailableError,
} from '@vizportal/slurm-client';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { AuthService } from '../auth/auth.service';
import { CatalogService } from '../catalog/catalog.service';
import { LaunchSettingsService } from '../launch-settings/launch-settings.service';
import type { AppConfig } from '../config/app-config';
import { UserService } from '../auth/user.service';
import { PartitionNotAllowedError } from '../policy/policy-errors';
import { SitePolicy } from '../policy/site-policy.service';
import { quotaUsage } from './session-quota';
import { ConnectTokenService } from './connect-token.service';
import { SchedulerStatus } from './scheduler-status';
import {
  InvalidChoicesError,
  QuotaExceededError,
  SessionNotFoundError,
  SessionNotRunningError,
  SlurmRejectedSessionError,
  TooManyVncConnectionsError,
  UnknownAppError,
} from './session-errors';
import { SessionGateway } from './session.gateway';
import { SessionRepository } from './session.repository';
import type { SessionCursor } from './session-cursor';
import { JobAccount } from './job-account';
import { SessionObserver } from './session-observer';
import { SessionPresenter } from './session-presenter';
import { StagingArea } from './staging-area';
import { VncConnections } from './vnc-connections';

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export interface SessionPage {
  sessions: Session[];
  next: SessionCursor | null;
}

/** The list's order: createdAt, then id, descending (as the repository pages them). */
function newestFirst(a: Session, b: Session): number {
  return b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export interface ConnectGrant {
  /** WebSocket path of the VNC proxy, with the single-use token. */
  path: string;
  token: string;
  expiresAt: Date;
  /** The desktop's one-time VNC password, for the owner's noVNC. */
  password: string;
}

@Injectable()
export class SessionService {
  private readonly logger = new Logger(SessionService.name);
  private readonly readinessBaseUrl: string;

  constructor(
    @Inject(SLURM_CLIENT) private readonly slurm: SlurmClient,
    private readonly sessions: SessionRepository,
    private readonly catalog: CatalogService,
    private readonly staging: StagingArea,
    private readonly observer: SessionObserver,
    private readonly gateway: SessionGateway,
    private readonly tokens: ConnectTokenService,
    private readonly adapterHost: HttpAdapterHost,
    private readonly scheduler: SchedulerStatus,
    private readonly jobAccount: JobAccount,
    private readonly vncConnections: VncConnections,
    private readonly policy: SitePolicy,
    private readonly users: UserService,
    private readonly auth: AuthService,
    private readonly presenter: SessionPresenter,
    private readonly launchSettings: LaunchSettingsService,
    config: ConfigService<AppConfig, true>,
  ) {
    this.readinessBaseUrl = config.get('READINESS_BASE_URL', { infer: true });
    this.commandTimeoutMs = config.get('SLURM_COMMAND_TIMEOUT_MS', { infer: true });
  }

  private readonly commandTimeoutMs: number;

  async launch(user: AuthenticatedUser, appId: string, values: unknown): Promise<Session> {
    if (!this.catalog.find(appId)) throw new UnknownAppError(appId);
    const app = this.catalog.appFor(user, appId); // 403 when the site limits it to others
    const checked = validateChoices(app, values, await this.catalog.choiceContext());
    if (!checked.ok) throw new InvalidChoicesError(checked.errors);

    const account = await this.jobAccount.resolve(user.username);
    const id = randomUUID();
    const dir = this.staging.dirOf(id);
    const rendered = renderJobScript(app, checked.choices, {
      sessionId: id,
      stagingDir: dir,
      readinessUrl: `${this.readinessBase()}/api/internal/sessions/${id}/ready`,
    });
    const { partition } = rendered.resources;
    const partitionRule = this.policy.partitionRule(partition);
    if (partitionRule && !this.policy.mayUsePartition(partition, user))
      throw new PartitionNotAllowedError(partition, partitionRule);
    // Read before the staging folder is made, so that a failed read leaves nothing behind.
    const limits = await this.limitsFor(user);
    await this.staging.prepare(id, account, rendered.script);
    const session = createSession({
      id,
      owner: user.username,
      appId: app.id,
      appTitle: app.title,
      values: { ...checked.choices } as SessionValues,
      submitToken: randomBytes(16).toString('hex'),
      timeLimitMinutes: rendered.resources.timeMinutes,
      now: new Date(),
    });
    const demand = {
      cpus: rendered.resources.cpus,
      gpus: rendered.resources.gpus,
      hours: rendered.resources.timeMinutes / 60,
    };
    try {
      await this.sessions.insertWithinQuota(session, { cpus: demand.cpus, gpus: demand.gpus }, (records) => {
        const refusal = quotaRefusal(limits, quotaUsage(records, session.createdAt), demand);
        if (refusal) throw new QuotaExceededError(refusal);
      });
    } catch (error) {
      await this.staging.remove(id);
      throw error;
    }
    this.gateway.sessionUpdated(session);
    await this.rememberValues(session);
    return this.submit(session, rendered.script);
  }

  /** The accepted launch's values start the user's next form of the app; failing to keep them fails nothing. */
  private async rememberValues(session: Session): Promise<void> {
    try {
      await this.launchSettings.recordLastValues(session.owner, session.appId, session.values);
    } catch (error) {
      this.logger.warn(
        `could not keep the values of session ${session.id} as ${session.owner}'s last for ${session.appId}: ${String(error)}`,
      );
    }
  }

  /** The user's use of each quota against its limit, for the launcher. */
  async quotaReport(user: AuthenticatedUser, now = new Date()): Promise<QuotaReportDto> {
    const limits = await this.limitsFor(user);
    const usage = quotaUsage(await this.sessions.findQuotaRecords(user.username, now), now);
    return {
      username: user.username,
      quotas: QUOTA_NAMES.map((quota) => ({
        quota,
        label: QUOTA_LABELS[quota],
        used: quota === 'sessionHours' ? Math.round(usage[quota] * 10) / 10 : usage[quota],
        limit: limits[quota],
      })),
    };
  }

  private async limitsFor(user: AuthenticatedUser): Promise<QuotaLimits> {
    const account = await this.users.findByUsername(user.username);
    return this.policy.limitsFor(user, account?.quotaOverride ?? {});
  }

  /**
   * sbatch, at most once per job: on a time-out the job may exist all the same, so it is looked
   * up by the token in its name before anything is submitted again (here or by the poller).
   */
  async submit(session: Session, script: string): Promise<Session> {
    this.submitting.add(session.id);
    try {
      return await this.submitOnce(session, script);
    } finally {
      this.submitting.delete(session.id);
    }
  }

  /** Sessions whose sbatch is under way in this process: the poller must not look for their job yet. */
  private readonly submitting = new Set<string>();

  private async submitOnce(session: Session, script: string): Promise<Session> {
    const secret = randomBytes(32).toString('base64url');
    await this.sessions.setReadinessSecretHash(session.id, sha256(secret));
    try {
      const { jobId } = await this.slurm.submit({
        token: session.submitToken,
        script,
        outputPath: this.staging.outputPath(session.id),
        workDir: this.staging.dirOf(session.id),
        // ALL: the job gets PATH and locale from sbatch at once, instead of Slurm loading the
        // user's login environment with `su -` (a minute on some sites). Never the service's own env.
        exportEnv: 'all',
        secretEnv: { [JOB_ENV.readySecret]: secret },
        asUser: this.jobAccount.nameFor(session.owner),
      });
      return await this.observer.observe(session, { kind: 'submitted', at: new Date(), jobId });
    } catch (error) {
      if (error instanceof JobRejectedError) {
        const failed = await this.observer.observe(session, {
          kind: 'submit-rejected',
          at: new Date(),
          message: error.slurmMessage,
        });
        throw new SlurmRejectedSessionError(error.slurmMessage, this.presenter.dto(failed));
      }
      if (error instanceof SlurmUnavailableError) {
        // The sbatch may still reach Slurm (a stopped controller takes it when it resumes): until
        // Slurm has answered again for a while, no resubmission (see resolveSubmission).
        this.scheduler.unreachable(error.message);
        this.logger.warn(
          `sbatch for session ${session.id} did not answer (${error.message}); the poller will look for its job`,
        );
        return session;
      }
      throw error;
    }
  }

  /**
   * A submitting session whose sbatch answer was lost: find its job, else submit again. Not while
   * its sbatch may still be running (here, or in another API instance within the command time-out),
   * and not before Slurm has answered for a command time-out without a break: a controller that
   * was stopped or away takes the sbatch it held when it comes back, after the first look-ups may
   * already have answered "no such job" (seen on the local cluster with slurmctld SIGSTOPped).
   */
  async resolveSubmission(session: Session, now = new Date()): Promise<Session> {
    if (
      this.submitting.has(session.id) ||
      now.getTime() - session.updatedAt.getTime() < this.commandTimeoutMs
    )
      return session;
    const job = await this.slurm.findByToken(session.submitToken);
    if (job) return this.observer.observe(session, { kind: 'submitted', at: new Date(), jobId: job.jobId });
    if (!this.scheduler.reachableFor(this.commandTimeoutMs, now)) return session;
    this.logger.log(`no job carries the token of session ${session.id}: submitting it again`);
    try {
      return await this.submit(session, await this.staging.readScript(session.id));
    } catch (error) {
      if (error instanceof SlurmRejectedSessionError)
        return (await this.sessions.findById(session.id)) ?? session;
      throw error;
    }
  }

  /**
   * The user's sessions (an admin: everyone's), newest first. Without `before`: every live one,
   * never paged, and the `limit` most recent ended ones; with it, only the ended ones older than
   * that. `next` is where the following page starts, null when nothing older is left.
   */
  async list(
    user: AuthenticatedUser,
    page: { limit: number; before: SessionCursor | null },
  ): Promise<SessionPage> {
    const owner = user.isAdmin ? null : user.username;
    // Live first: a session ending between the two reads then shows up twice (its ended copy wins),
    // never not at all. One row more than asked tells whether an older page exists, without counting.
    const live = page.before ? [] : await this.sessions.findLive(owner);
    const ended = await this.sessions.findEnded({ owner, limit: page.limit + 1, before: page.before });
    const shown = ended.slice(0, page.limit);
    const endedIds = new Set(shown.map((session) => session.id));
    const last = shown[shown.length - 1];
    return {
      sessions: [...live.filter((session) => !endedIds.has(session.id)), ...shown].sort(newestFirst),
      next: ended.length > page.limit && last ? { createdAt: last.createdAt, id: last.id } : null,
    };
  }

  /** The session, if the user may see it; the same 404 for unknown and for someone else's. */
  async get(user: AuthenticatedUser, id: string): Promise<Session> {
    const session = await this.sessions.findById(id);
    if (!session || (session.owner !== user.username && !user.isAdmin)) throw new SessionNotFoundError();
    return session;
  }

  async stop(user: AuthenticatedUser, id: string): Promise<Session> {
    const session = await this.get(user, id);
    if (!isLive(session.state)) return session;
    await this.cancelJob(session);
    return this.observer.observe(session, { kind: 'user-stop', at: new Date() });
  }

  /** The idle check's stop: cancelled as the job's own account, ended 'idle' with `reason`. */
  async stopIdle(session: Session, reason: string): Promise<Session> {
    await this.cancelJob(session);
    return this.observer.observe(session, { kind: 'idle-stop', at: new Date(), reason });
  }

  /** "Keep it running": the idle clocks start again, and a warning given is withdrawn. */
  async keep(user: AuthenticatedUser, id: string): Promise<Session> {
    const session = await this.get(user, id);
    if (session.state !== 'running') throw new SessionNotRunningError(session.state);
    return this.observer.observe(session, { kind: 'idle-kept', at: new Date() });
  }

  private async cancelJob(session: Session): Promise<void> {
    if (!session.jobId) return;
    try {
      await this.slurm.cancel(session.jobId, { asUser: this.jobAccount.nameFor(session.owner) });
    } catch (error) {
      // Slurm has forgotten the job: there is nothing left to cancel. Anything else (Slurm away) is the caller's to retry.
      if (!(error instanceof JobNotFoundError)) throw error;
    }
  }

  async remove(user: AuthenticatedUser, id: string): Promise<void> {
    const session = await this.stop(user, id);
    await this.sessions.remove(session.id);
    await this.staging.remove(session.id);
    this.gateway.sessionRemoved(session);
  }

  /**
   * A new session of the same app with the same answers, for the original's owner; a live original
   * is stopped first, but only once the owner may still use the app (their groups, not an acting
   * administrator's), so that a refused relaunch leaves the desktop running.
   */
  async relaunch(user: AuthenticatedUser, id: string): Promise<Session> {
    const original = await this.get(user, id);
    const owner = original.owner === user.username ? user : await this.auth.accountOf(original.owner);
    this.catalog.appFor(owner, original.appId); // 403 when the site limits it to others
    await this.stop(user, id);
    return this.launch(owner, original.appId, original.values);
  }

  async connect(user: AuthenticatedUser, id: string): Promise<ConnectGrant> {
    const session = await this.get(user, id);
    const password = await this.sessions.findVncPassword(session.id);
    if (session.state !== 'running' || !session.endpoint || !password)
      throw new SessionNotRunningError(session.state);
    // The proxy counts again at the upgrade; asking here too is what lets the browser say why.
    const limit = this.vncConnections.refuse(session.id, user.username);
    if (limit) throw new TooManyVncConnectionsError(limit.message);
    const { token, expiresAt } = this.tokens.issue(session.id, user.username);
    return { path: `/api/sessions/${session.id}/vnc?token=${token}`, token, expiresAt, password };
  }

  async log(user: AuthenticatedUser, id: string): Promise<{ text: string; truncated: boolean }> {
    const session = await this.get(user, id);
    return this.staging.tail(session.id);
  }

  private readinessBase(): string {
    if (this.readinessBaseUrl) return this.readinessBaseUrl.replace(/\/$/, '');
    // Local default: the nodes are this host, so the API's own listening port on loopback.
    const address = this.adapterHost.httpAdapter.getHttpServer().address() as AddressInfo | null;
    return `http://127.0.0.1:${address?.port ?? 8080}`;
  }
}
