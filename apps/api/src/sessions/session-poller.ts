// The one poller: each tick asks Slurm about ALL live sessions in ONE squeue command, folds each
// answer into its session, and resolves the rare leftovers (a lost sbatch answer, a job squeue no
// longer lists, a desktop that never reported). A tick reschedules itself when it ends, so a slow
// tick is never overlapped; it runs fast while someone waits for a desktop, slower otherwise.
// With no live session the tick is one partition read: whether Slurm answers is always current.
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { type Session, needsReadinessTimeout } from '@vizportal/session-domain';
import {
  JobNotFoundError,
  SLURM_CLIENT,
  type SlurmClient,
  SlurmError,
  SlurmUnavailableError,
} from '@vizportal/slurm-client';
import type { AppConfig } from '../config/app-config';
import { VizportalMetrics } from '../metrics/vizportal-metrics';
import { isDatabaseUnavailable } from '../database/database-unavailable';
import { SchedulerStatus } from './scheduler-status';
import { SessionRepository } from './session.repository';
import { jobObservation } from './job-observation';
import { SessionService } from './session.service';
import { JobAccount } from './job-account';
import { SessionObserver } from './session-observer';
import { StagingArea } from './staging-area';

const TIMER = 'session-poller';

@Injectable()
export class SessionPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SessionPoller.name);
  private readonly fastMs: number;
  private readonly slowMs: number;
  private stopped = false;
  private running: Promise<void> | null = null;

  constructor(
    @Inject(SLURM_CLIENT) private readonly slurm: SlurmClient,
    private readonly sessions: SessionRepository,
    private readonly service: SessionService,
    private readonly observer: SessionObserver,
    private readonly staging: StagingArea,
    private readonly jobAccount: JobAccount,
    private readonly scheduler: SchedulerStatus,
    private readonly registry: SchedulerRegistry,
    config: ConfigService<AppConfig, true>,
    // Absent only in unit tests that build the poller by hand.
    @Optional() private readonly metrics?: VizportalMetrics,
  ) {
    this.fastMs = config.get('POLL_INTERVAL_FAST_MS', { infer: true });
    this.slowMs = config.get('POLL_INTERVAL_SLOW_MS', { infer: true });
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.registry.doesExist('timeout', TIMER)) this.registry.deleteTimeout(TIMER);
    await this.running;
  }

  /** Runs one tick now (tests and the next scheduled tick share this); returns the live sessions after it. */
  async tick(): Promise<Session[]> {
    const live = await this.sessions.findLive();
    const sentAt = new Date();
    const after = new Map(live.map((session) => [session.id, session]));
    try {
      // With no session to ask about, one light read still tells every open page whether Slurm
      // answers, so a user sees it is away before launching into it, not after.
      if (live.length === 0) await this.slurm.listPartitions();
      for (const session of live.filter((s) => s.state === 'submitting' && !s.jobId)) {
        after.set(session.id, await this.service.resolveSubmission(session));
      }
      const withJobs = live.filter((s) => s.jobId !== null);
      if (withJobs.length > 0) {
        const { jobs, notListed } = await this.slurm.queryJobs(withJobs.map((s) => s.jobId as string));
        const byId = new Map(jobs.map((job) => [job.jobId, job]));
        const missing = new Set(notListed);
        for (const session of withJobs) {
          const job = byId.get(session.jobId as string);
          if (job) after.set(session.id, await this.observer.observe(session, jobObservation(job, sentAt)));
          else if (missing.has(session.jobId as string))
            after.set(session.id, await this.resolveVanished(session, sentAt));
        }
      }
      this.scheduler.reachable();
    } catch (error) {
      if (!(error instanceof SlurmUnavailableError)) throw error;
      // Not a session state: every session keeps its state until Slurm answers again.
      this.scheduler.unreachable(error.message);
      return live;
    }
    return this.timeOutSilentDesktops([...after.values()], new Date());
  }

  /** squeue no longer lists the job: scontrol may still know it, else its end marker, else wait. */
  private async resolveVanished(session: Session, at: Date): Promise<Session> {
    try {
      return await this.observer.observe(
        session,
        jobObservation(await this.slurm.showJob(session.jobId as string), at),
      );
    } catch (error) {
      if (!(error instanceof JobNotFoundError)) throw error;
    }
    const marker = await this.staging.readEndMarker(session.id);
    return this.observer.observe(
      session,
      marker
        ? {
            kind: 'end-marker',
            at,
            exitCode: marker.exitCode,
            reason: marker.reason,
            endedAt: new Date(marker.endedAt),
          }
        : { kind: 'job-not-listed', at },
    );
  }

  /** A job that runs but never reported its desktop ends failed with its log's tail, and is cancelled. */
  private async timeOutSilentDesktops(sessions: Session[], now: Date): Promise<Session[]> {
    const after: Session[] = [];
    for (const session of sessions) {
      if (!needsReadinessTimeout(session, now, this.observer.rules)) {
        after.push(session);
        continue;
      }
      const text = await this.staging.messageTail(session.id);
      after.push(
        await this.observer.observe(session, {
          kind: 'readiness-timeout',
          at: now,
          logTail: text || '(the job wrote no output)',
        }),
      );
      try {
        await this.slurm.cancel(session.jobId as string, { asUser: this.jobAccount.nameFor(session.owner) });
      } catch (error) {
        if (!(error instanceof SlurmError)) throw error;
        this.logger.warn(`could not cancel the silent job of session ${session.id}: ${error.message}`);
      }
    }
    return after;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.registry.doesExist('timeout', TIMER)) this.registry.deleteTimeout(TIMER);
    this.registry.addTimeout(
      TIMER,
      setTimeout(() => void this.runScheduled(), delayMs),
    );
  }

  private async runScheduled(): Promise<void> {
    const endTimer = this.metrics?.pollerTickDuration.startTimer();
    const tick = this.tick();
    this.running = tick.then(
      () => undefined,
      (error: unknown) =>
        // A database that cannot take writes (disk full) is the operator's to fix, not a bug: one
        // line per tick, and the poller keeps ticking so it catches up once writes work again.
        isDatabaseUnavailable(error)
          ? this.logger.warn(`poller tick could not save: ${(error as Error).message}`)
          : this.logger.error(`poller tick failed: ${error instanceof Error ? error.stack : String(error)}`),
    );
    const live = await tick.catch(() => null);
    endTimer?.();
    this.running = null;
    this.schedule(live ? this.nextDelay(live) : this.slowMs);
  }

  /** Fast while someone waits (a submit or a desktop starting), slow while all sessions just run or queue. */
  private nextDelay(live: Session[]): number {
    return live.some((s) => s.state === 'submitting' || s.state === 'starting') ? this.fastMs : this.slowMs;
  }
}
