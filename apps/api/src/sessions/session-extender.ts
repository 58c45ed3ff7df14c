// Extend: more time for a running session, through Slurm (scontrol update TimeLimit=), within its
// partition's MaxTime and the site's SESSION_EXTEND_MAX_HOURS. The rule is session-domain's
// extensionRefusal; this asks Slurm for the facts it needs and records the answer.
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type Session, extensionRefusal } from '@vizportal/session-domain';
import {
  JobNotFoundError,
  SLURM_CLIENT,
  type SlurmClient,
  SlurmPermissionError,
} from '@vizportal/slurm-client';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { ClusterService } from '../cluster/cluster.service';
import type { AppConfig } from '../config/app-config';
import { ExtensionNotPermittedError, ExtensionRefusedError } from './session-errors';
import { SessionObserver } from './session-observer';
import { SessionService } from './session.service';

@Injectable()
export class SessionExtender {
  private readonly siteMaxMinutes: number;
  /** One extension of a session at a time (in this process), so two clicks cannot both pass the site's limit. */
  private readonly underway = new Map<string, Promise<unknown>>();

  constructor(
    @Inject(SLURM_CLIENT) private readonly slurm: SlurmClient,
    private readonly sessions: SessionService,
    private readonly cluster: ClusterService,
    private readonly observer: SessionObserver,
    config: ConfigService<AppConfig, true>,
  ) {
    this.siteMaxMinutes = Math.round(config.get('SESSION_EXTEND_MAX_HOURS', { infer: true }) * 60);
  }

  async extend(user: AuthenticatedUser, id: string, addMinutes: number): Promise<Session> {
    const session = await this.sessions.get(user, id); // 404 for someone else's
    const before = this.underway.get(session.id) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(() => this.extendOnce(user, session.id, addMinutes));
    this.underway.set(session.id, run);
    try {
      return await run;
    } finally {
      if (this.underway.get(session.id) === run) this.underway.delete(session.id);
    }
  }

  private async extendOnce(user: AuthenticatedUser, id: string, addMinutes: number): Promise<Session> {
    const session = await this.sessions.get(user, id); // as saved by an extension just before
    const early = extensionRefusal(session, addMinutes, {
      partitionMaxMinutes: null,
      siteMaxMinutes: this.siteMaxMinutes,
    });
    if (early || !session.jobId)
      throw new ExtensionRefusedError(early ?? 'This session has no job to extend.');
    const jobId = session.jobId;

    let job;
    try {
      job = await this.slurm.showJob(jobId);
    } catch (error) {
      if (error instanceof JobNotFoundError)
        throw new ExtensionRefusedError('The session has ended: Slurm no longer has its job.');
      throw error;
    }
    // Slurm's limit is the one that counts (an operator may have changed it since the last poll).
    const current = { ...session, timeLimitMinutes: job.timeLimitMinutes ?? session.timeLimitMinutes };
    const partition = (await this.cluster.info()).partitions.find((p) => p.name === job.partition);
    const refusal = extensionRefusal(current, addMinutes, {
      partitionMaxMinutes: partition?.maxTimeMinutes ?? null,
      siteMaxMinutes: this.siteMaxMinutes,
    });
    if (refusal) throw new ExtensionRefusedError(refusal);

    const timeLimitMinutes = (current.timeLimitMinutes ?? 0) + addMinutes;
    try {
      await this.slurm.updateTimeLimit(jobId, timeLimitMinutes);
    } catch (error) {
      if (error instanceof SlurmPermissionError) throw new ExtensionNotPermittedError(jobId);
      if (error instanceof JobNotFoundError)
        throw new ExtensionRefusedError('The session has ended: Slurm no longer has its job.');
      throw error;
    }
    return this.observer.observe(current, {
      kind: 'time-extended',
      at: new Date(),
      timeLimitMinutes,
      addedMinutes: addMinutes,
    });
  }
}
