// The cluster's partitions and nodes (GET /api/cluster), for the launcher's hints. Read on demand
// (when a launch form opens), never polled: the API caches it briefly anyway.
import { HttpClient } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import type { ClusterDto } from '@vizportal/session-domain';
import { firstValueFrom } from 'rxjs';
import { toApiProblem } from './api-error';

@Injectable({ providedIn: 'root' })
export class ClusterService {
  private readonly http = inject(HttpClient);
  readonly cluster = signal<ClusterDto | null>(null);
  /** Why the last read failed (503: Slurm is unreachable); null after a good read. */
  readonly error = signal<string | null>(null);

  async refresh(): Promise<void> {
    try {
      this.cluster.set(await firstValueFrom(this.http.get<ClusterDto>('/api/cluster')));
      this.error.set(null);
    } catch (error) {
      this.error.set(toApiProblem(error).message);
    }
  }
}
