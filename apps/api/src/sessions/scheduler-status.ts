// Whether Slurm answers, as the poller last found it. Not a session state: sessions keep theirs
// while Slurm is away; this is shown in /api/health and pushed on the socket when it changes.
import { Injectable } from '@nestjs/common';
import type { SchedulerStatusDto } from '@vizportal/session-domain';
import { Subject } from 'rxjs';

@Injectable()
export class SchedulerStatus {
  private status: SchedulerStatusDto = { reachable: true, since: new Date().toISOString(), message: null };
  private readonly subject = new Subject<SchedulerStatusDto>();
  /** Emits only when reachability flips. */
  readonly changes = this.subject.asObservable();

  current(): SchedulerStatusDto {
    return this.status;
  }

  /**
   * Whether Slurm has answered for at least `ms` without a break: a request it held while away (a
   * submit whose sbatch timed out) has been dealt with by then, so "no such job" can be believed.
   */
  reachableFor(ms: number, now: Date = new Date()): boolean {
    return this.status.reachable && now.getTime() - Date.parse(this.status.since) >= ms;
  }

  reachable(at: Date = new Date()): void {
    if (this.status.reachable) return;
    this.set({ reachable: true, since: at.toISOString(), message: null });
  }

  unreachable(message: string, at: Date = new Date()): void {
    if (!this.status.reachable) {
      this.status = { ...this.status, message };
      return;
    }
    this.set({ reachable: false, since: at.toISOString(), message });
  }

  private set(status: SchedulerStatusDto): void {
    this.status = status;
    this.subject.next(status);
  }
}
