// The job's readiness report, as a use case: the report is checked against the endpoint policy
// before the session's one-time secret is spent, and a report that cannot be recorded gives the
// secret back, so the job's retry can still land instead of a desktop that runs but never shows.
import { Injectable, Logger } from '@nestjs/common';
import type { ReadinessReport } from '@vizportal/job-templates';
import { ClusterService } from '../cluster/cluster.service';
import { ReadinessRefusedError, ReadinessSecretError } from './session-errors';
import { SessionRepository } from './session.repository';
import { SessionObserver } from './session-observer';
import { sha256 } from './session.service';
import { VncEndpointPolicy } from './vnc-endpoint-policy';

@Injectable()
export class ReadinessService {
  private readonly logger = new Logger(ReadinessService.name);

  constructor(
    private readonly sessions: SessionRepository,
    private readonly observer: SessionObserver,
    private readonly cluster: ClusterService,
    private readonly policy: VncEndpointPolicy,
  ) {}

  async report(sessionId: string, secret: string, report: ReadinessReport): Promise<void> {
    const refusal = this.policy.refuseHost(report.host) ?? this.policy.refusePort(report.port);
    if (refusal) throw new ReadinessRefusedError(refusal);
    const hash = sha256(secret);
    if (!(await this.sessions.consumeReadinessSecretHash(sessionId, hash))) throw new ReadinessSecretError();
    // The owner's VNC WebSocket follows within a second, and the proxy dials the address Slurm gives
    // for the node (ClusterService, cached for CLUSTER_CACHE_MS): ask Slurm now, while nobody waits,
    // rather than on that connection's path (scontrol and sinfo: tens of ms, more on a busy host).
    void this.cluster.info().catch(() => undefined);
    try {
      const session = await this.sessions.findById(sessionId);
      if (!session) throw new ReadinessSecretError();
      await this.sessions.setVncPassword(sessionId, report.password);
      await this.observer.learnJob(session);
      await this.observer.observe(session, {
        kind: 'readiness',
        at: new Date(),
        port: report.port,
        display: report.display,
      });
    } catch (error) {
      if (!(error instanceof ReadinessSecretError)) {
        await this.sessions.setReadinessSecretHash(sessionId, hash).catch((restore: unknown) => {
          this.logger.error(
            `session ${sessionId}: the readiness secret could not be restored after a failed report: ${String(restore)}`,
          );
        });
      }
      throw error;
    }
  }
}
