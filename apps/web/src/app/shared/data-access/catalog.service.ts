// The app catalog (GET /api/apps), read once per login: it changes only when the portal restarts.
import { HttpClient } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import type { AppDto } from '@vizportal/session-domain';
import { firstValueFrom } from 'rxjs';
import { toApiProblem } from './api-error';

export interface AppCategory {
  name: string;
  apps: AppDto[];
}

@Injectable({ providedIn: 'root' })
export class CatalogService {
  private readonly http = inject(HttpClient);
  readonly apps = signal<AppDto[] | null>(null);
  readonly error = signal<string | null>(null);
  readonly loading = signal(false);
  private pending: Promise<void> | null = null;

  /** Apps grouped by category, in the catalog's order. */
  readonly categories = computed<AppCategory[]>(() => {
    const groups = new Map<string, AppDto[]>();
    for (const app of this.apps() ?? []) groups.set(app.category, [...(groups.get(app.category) ?? []), app]);
    return [...groups].map(([name, apps]) => ({ name, apps }));
  });

  app(id: string): AppDto | undefined {
    return this.apps()?.find((app) => app.id === id);
  }

  /**
   * Why an app that is not in the user's catalog cannot be opened: the API's sentence, which says
   * whom the site limits it to (403), or that there is no such app (404).
   */
  async whyUnavailable(id: string): Promise<string> {
    try {
      await firstValueFrom(this.http.get<AppDto>(`/api/apps/${encodeURIComponent(id)}`));
      return 'This app was added since the page loaded: reload the page to launch it.';
    } catch (error) {
      return toApiProblem(error).message;
    }
  }

  /** Loads once; `force` reloads (partition options follow the cluster). */
  load(force = false): Promise<void> {
    if (this.apps() && !force) return Promise.resolve();
    this.pending ??= this.fetch().finally(() => (this.pending = null));
    return this.pending;
  }

  private async fetch(): Promise<void> {
    this.loading.set(true);
    try {
      this.apps.set(await firstValueFrom(this.http.get<AppDto[]>('/api/apps')));
      this.error.set(null);
    } catch (error) {
      this.error.set(toApiProblem(error).message);
    } finally {
      this.loading.set(false);
    }
  }
}
