// Observation: every change to a session goes through session-domain's transition(), is saved,
// then emitted, one observation per session at a time, whoever observed it (the launch and stop
// use cases, the poller or the job's readiness report).
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  DEFAULT_TRANSITION_RULES,
  type Observation,
  type Session,
  type TransitionRules,
  transition,
} from '@vizportal/session-domain';
import { SLURM_CLIENT, SlurmError, type SlurmClient } from '@vizportal/slurm-client';
import type { AppConfig } from '../config/app-config';
import { jobObservation } from './job-observation';
import { SessionGateway } from './session.gateway';
import { SessionRepository } from './session.repository';
import { StagingArea } from './staging-area';

@Injectable()
export class SessionObserver {
  private readonly logger = new Logger(SessionObserver.name);
  readonly rules: TransitionRules;

  constructor(
    @Inject(SLURM_CLIENT) private readonly slurm: SlurmClient,
    private readonly sessions: SessionRepository,
    private readonly staging: StagingArea,
    private readonly gateway: SessionGateway,
    config: ConfigService<AppConfig, true>,
  ) {
    this.rules = {
      ...DEFAULT_TRANSITION_RULES,
      readinessTimeoutMs: config.get('READINESS_TIMEOUT_SECONDS', { infer: true }) * 1000,
      vanishGraceMs: config.get('VANISH_GRACE_SECONDS', { infer: true }) * 1000,
    };
  }

  /**
   * Folds one observation into the session as it is stored NOW (the caller's copy may be stale:
   * a readiness report can land during a poller tick), one observation per session at a time;
   * saves and emits only if something changed.
   */
  observe(session: Session, observation: Observation): Promise<Session> {
    // The poller's common case, nothing new, costs no database read: a fresher stored copy differs
    // only by a readiness report, a stop or a job id, none of which a stale-copy no-op could undo.
    if (transition(session, observation, this.rules).events.length === 0) return Promise.resolve(session);
    return this.serialized(session.id, async () => {
      const current = await this.sessions.findById(session.id);
      if (!current) return session; // deleted meanwhile: never bring it back
      const { session: transitioned, events } = transition(current, observation, this.rules);
      if (events.length === 0) return current;
      const next = await this.withFailureOutput(transitioned);
      await this.sessions.save(next);
      this.gateway.sessionUpdated(next);
      return next;
    });
  }

  /**
   * A job that failed by itself (a nonzero exit that neither Slurm nor the wrapper gave a reason for)
   * says why only in its output: the log's end becomes the session's message, as for a desktop that
   * never reported ready, so the card shows e.g. 'apptainer: command not found'.
   */
  private async withFailureOutput(session: Session): Promise<Session> {
    if (session.state !== 'failed' || session.endReason !== 'failed' || session.message !== null)
      return session;
    try {
      const text = await this.staging.messageTail(session.id);
      return text ? { ...session, message: text } : session;
    } catch (error) {
      this.logger.warn(
        `could not read the output of failed session ${session.id}: ${(error as Error).message}`,
      );
      return session;
    }
  }

  private readonly queues = new Map<string, Promise<unknown>>();

  private serialized<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.queues.set(id, next);
    void next
      .finally(() => {
        if (this.queues.get(id) === next) this.queues.delete(id);
      })
      .catch(() => undefined);
    return next;
  }

  /**
   * A desktop can report before the poller has seen its job run, or even before the portal has its
   * job id: ask Slurm once which job and node it is (the proxy dials that node's address), so
   * "running" never comes without a job and a node.
   */
  async learnJob(session: Session): Promise<void> {
    if (session.node && session.jobId) return;
    try {
      // No job id yet: its sbatch's answer was lost (a controller that hung), yet the job runs.
      const job = session.jobId
        ? (await this.slurm.queryJobs([session.jobId])).jobs[0]
        : await this.slurm.findByToken(session.submitToken);
      if (!job) return;
      const at = new Date();
      const submitted = session.jobId
        ? session
        : await this.observe(session, { kind: 'submitted', at, jobId: job.jobId });
      await this.observe(submitted, jobObservation(job, at));
    } catch (error) {
      if (!(error instanceof SlurmError)) throw error;
      this.logger.warn(`could not learn the node of session ${session.id}: ${error.message}`);
    }
  }
}
