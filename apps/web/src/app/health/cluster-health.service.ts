// Reads the portal's health. A 503 still carries the report (which part is down), so it is read too.
import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import type { HealthReportDto } from '@vizportal/session-domain';
import { catchError, firstValueFrom, of } from 'rxjs';

@Injectable({ providedIn: 'root' })
export class ClusterHealthService {
  private readonly http = inject(HttpClient);
  readonly report = signal<HealthReportDto | null>(null);
  readonly error = signal<string | null>(null);
  readonly loading = signal(false);

  async refresh(): Promise<void> {
    this.loading.set(true);
    const report = await firstValueFrom(
      this.http.get<HealthReportDto>('/api/health').pipe(
        catchError((error: HttpErrorResponse) => {
          if (error.status === 503 && error.error?.details) return of(error.error as HealthReportDto);
          this.error.set(`The portal did not answer (${error.status || 'no connection'}).`);
          return of(null);
        }),
      ),
    );
    if (report) {
      this.report.set(report);
      this.error.set(null);
    }
    this.loading.set(false);
  }
}
