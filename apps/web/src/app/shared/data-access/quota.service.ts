// The user's launch quotas (GET /api/quotas/mine): read when the launcher opens and again after
// each launch or refusal, so the use shown is the use the next launch is checked against.
import { HttpClient } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import type { QuotaReportDto } from '@vizportal/site-policy';
import { firstValueFrom } from 'rxjs';
import { toApiProblem } from './api-error';

@Injectable({ providedIn: 'root' })
export class QuotaService {
  private readonly http = inject(HttpClient);
  readonly report = signal<QuotaReportDto | null>(null);
  readonly error = signal<string | null>(null);

  async refresh(): Promise<void> {
    try {
      this.report.set(await firstValueFrom(this.http.get<QuotaReportDto>('/api/quotas/mine')));
      this.error.set(null);
    } catch (error) {
      this.error.set(toApiProblem(error).message);
    }
  }
}
