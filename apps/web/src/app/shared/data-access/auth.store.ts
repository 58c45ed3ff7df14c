// Who is logged in. Local mode: login and logout here; header mode: the single sign-on proxy has
// logged the user in before the app loads, so /api/auth/me simply answers.
import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';

export interface CurrentUser {
  username: string;
  isAdmin: boolean;
  authMode: 'local' | 'header';
}

@Injectable({ providedIn: 'root' })
export class AuthStore {
  private readonly http = inject(HttpClient);
  /** undefined: not asked yet; null: not logged in. */
  private readonly current = signal<CurrentUser | null | undefined>(undefined);
  private pending: Promise<CurrentUser | null> | null = null;

  readonly user = computed(() => this.current() ?? null);
  readonly known = computed(() => this.current() !== undefined);

  /** Asks the API once per page load (guards call this on every navigation). */
  ensureLoaded(): Promise<CurrentUser | null> {
    const known = this.current();
    if (known !== undefined) return Promise.resolve(known);
    this.pending ??= this.fetchMe().finally(() => (this.pending = null));
    return this.pending;
  }

  async login(username: string, password: string): Promise<CurrentUser> {
    const user = await firstValueFrom(this.http.post<CurrentUser>('/api/auth/login', { username, password }));
    this.current.set(user);
    return user;
  }

  async logout(): Promise<void> {
    try {
      await firstValueFrom(this.http.post<void>('/api/auth/logout', {}));
    } finally {
      // Even if the portal did not answer, this tab forgets the user.
      this.current.set(null);
    }
  }

  /** The login ended elsewhere (expired, logged out in another tab): the next guard asks again. */
  expire(): void {
    this.current.set(null);
  }

  private async fetchMe(): Promise<CurrentUser | null> {
    try {
      const user = await firstValueFrom(this.http.get<CurrentUser>('/api/auth/me'));
      this.current.set(user);
      return user;
    } catch (error) {
      if (error instanceof HttpErrorResponse && error.status === 401) {
        this.current.set(null);
        return null;
      }
      // The portal is down: not the same as logged out; let the next navigation ask again.
      throw error;
    }
  }
}
