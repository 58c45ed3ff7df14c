// Idle auto-stop, the API's half: it tells the sessions when a VNC client connected, left or gave
// input (so their idle clocks live in the database and survive a restart), and every
// IDLE_CHECK_SECONDS it asks session-domain's idleVerdict about each running session, with the
// site's limits for its app (SITE_POLICY_FILE `idle`): it records a warning (which reaches the
// owner's browser with the session, as its idleStop), or stops the session and audits the stop.
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type Session, idleVerdict } from '@vizportal/session-domain';
import type { Subscription } from 'rxjs';
import { AuditService } from '../audit/audit.service';
import type { AppConfig } from '../config/app-config';
import { SitePolicy } from '../policy/site-policy.service';
import { SessionObserver } from './session-observer';
import { SessionRepository } from './session.repository';
import { SessionService } from './session.service';
import { VncConnections } from './vnc-connections';

/** Input is written at most this often per session: the no-input limit is counted in hours. */
export const INPUT_RECORD_INTERVAL_MS = 60_000;

/** Who the audit log names for what the portal does by itself. */
export const PORTAL_ACTOR = 'vizportal';

@Injectable()
export class IdleSessions implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdleSessions.name);
  private readonly checkMs: number;
  /** Since when this process sees connections: a session's clocks never count the portal's downtime. */
  readonly watchedSince = new Date();
  private readonly inputRecordedAt = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private viewers: Subscription | undefined;
  private checking: Promise<void> | null = null;

  constructor(
    private readonly sessions: SessionRepository,
    private readonly observer: SessionObserver,
    private readonly service: SessionService,
    private readonly connections: VncConnections,
    private readonly policy: SitePolicy,
    private readonly audit: AuditService,
    config: ConfigService<AppConfig, true>,
  ) {
    this.checkMs = config.get('IDLE_CHECK_SECONDS', { infer: true }) * 1000;
  }

  onApplicationBootstrap(): void {
    this.viewers = this.connections.changes.subscribe(({ sessionId }) => void this.viewed(sessionId));
    this.timer = setInterval(() => void this.check(), this.checkMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.viewers?.unsubscribe();
  }

  /** The proxy saw keyboard, mouse or clipboard input for the session. */
  inputSeen(sessionId: string, now = Date.now()): void {
    const last = this.inputRecordedAt.get(sessionId);
    if (last !== undefined && now - last < INPUT_RECORD_INTERVAL_MS) return;
    this.inputRecordedAt.set(sessionId, now);
    void this.record(sessionId, { kind: 'input', at: new Date(now) });
  }

  /** One pass over the running sessions; a pass still running is not started twice. */
  check(now = new Date()): Promise<void> {
    this.checking ??= this.checkAll(now).finally(() => (this.checking = null));
    return this.checking;
  }

  private async checkAll(now: Date): Promise<void> {
    let running: Session[];
    try {
      running = (await this.sessions.findLive(null)).filter((session) => session.state === 'running');
    } catch (error) {
      this.logger.warn(`idle check skipped: ${(error as Error).message}`);
      return;
    }
    for (const id of this.inputRecordedAt.keys())
      if (!running.some((session) => session.id === id)) this.inputRecordedAt.delete(id);
    for (const session of running) await this.checkOne(session, now);
  }

  private async checkOne(session: Session, now: Date): Promise<void> {
    const watch = {
      connected: this.connections.viewersOf(session.id).length > 0,
      watchedSince: this.watchedSince,
    };
    const verdict = idleVerdict(session, watch, this.policy.idleLimitsFor(session.appId), now);
    try {
      if (verdict.kind === 'warn' && session.idleWarning?.stopAt.getTime() !== verdict.stopAt.getTime())
        await this.observer.observe(session, {
          kind: 'idle-warning',
          at: now,
          stopAt: verdict.stopAt,
          reason: verdict.reason,
        });
      else if (verdict.kind === 'stop') await this.stop(session, verdict.reason);
    } catch (error) {
      // Slurm away, or the database: the next check tries again.
      this.logger.warn(`idle check of session ${session.id} failed: ${(error as Error).message}`);
    }
  }

  private async stop(session: Session, reason: string): Promise<void> {
    const stopped = await this.service.stopIdle(session, reason);
    this.logger.log(`session ${session.id} of ${session.owner} stopped as idle: ${reason}`);
    await this.audit.record({
      actor: PORTAL_ACTOR,
      action: 'session.idle-stop',
      sessionId: session.id,
      subject: session.owner,
      details: { appId: session.appId, jobId: session.jobId, reason, state: stopped.state },
    });
  }

  private viewed(sessionId: string): Promise<void> {
    return this.record(sessionId, { kind: 'viewed', at: new Date() });
  }

  private async record(
    sessionId: string,
    observation: { kind: 'viewed' | 'input'; at: Date },
  ): Promise<void> {
    try {
      const session = await this.sessions.findById(sessionId);
      if (session) await this.observer.observe(session, observation);
    } catch (error) {
      this.logger.warn(
        `could not record ${observation.kind} of session ${sessionId}: ${(error as Error).message}`,
      );
    }
  }
}
