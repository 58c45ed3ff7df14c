// The admin page's data: the local accounts (/api/users) and the audit log (GET /api/admin/audit).
// Reads land in signals for the page; changes (create, update) resolve with the API's answer and
// throw its error, which the page words with toApiProblem. The sessions come from the shared
// SessionStore (an admin's holds everyone's) and the cluster from the shared ClusterService.
import { HttpClient, HttpErrorResponse, HttpParams } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import type {
  AccountDto,
  AuditAction,
  AuditEventDto,
  AuditOutcome,
  AuditPageDto,
  QuotaOverride,
} from '@vizportal/site-policy';
import { firstValueFrom } from 'rxjs';
import { toApiProblem } from '../../shared/data-access/api-error';

/** An account as the admin page shows it: the API's contract, from site-policy. */
export type AdminUser = AccountDto;

export interface NewAccount {
  username: string;
  password: string;
  isAdmin?: boolean;
}

/** PATCH /api/users/:username: only what is given changes; quotaOverride null clears it. */
export interface AccountChanges {
  isAdmin?: boolean;
  disabled?: boolean;
  groups?: string[];
  quotaOverride?: QuotaOverride | null;
}

/** The audit log's filters; empty ones are left out of the query. */
export interface AuditFilters {
  /** What the user did, and what was done to their sessions or account. */
  user?: string;
  action?: AuditAction | null;
  outcome?: AuditOutcome | null;
  session?: string;
  /** ISO 8601, inclusive. */
  from?: string;
  /** ISO 8601, exclusive. */
  to?: string;
}

/** The API's largest page: the CSV link asks for it, since a link cannot follow the next page. */
export const AUDIT_CSV_LIMIT = 1000;

@Injectable({ providedIn: 'root' })
export class AdminApi {
  private readonly http = inject(HttpClient);

  /** null until read (and in header mode, where there are none). */
  readonly users = signal<AdminUser[] | null>(null);
  readonly usersError = signal<string | null>(null);
  /** /api/users answered 404: AUTH_MODE=header, accounts live with the single sign-on provider. */
  readonly accountsElsewhere = signal(false);

  readonly auditEvents = signal<AuditEventDto[] | null>(null);
  /** The filters the events shown were read with (the CSV link and "Older" reuse them). */
  readonly auditFilters = signal<AuditFilters>({});
  readonly auditNext = signal<string | null>(null);
  readonly auditError = signal<string | null>(null);
  readonly auditLoading = signal(false);

  async refreshUsers(): Promise<void> {
    try {
      this.users.set(await firstValueFrom(this.http.get<AdminUser[]>('/api/users')));
      this.accountsElsewhere.set(false);
      this.usersError.set(null);
    } catch (error) {
      if (error instanceof HttpErrorResponse && error.status === 404) {
        this.accountsElsewhere.set(true);
        this.users.set(null);
        this.usersError.set(null);
        return;
      }
      this.usersError.set(toApiProblem(error).message);
    }
  }

  async createUser(account: NewAccount): Promise<AdminUser> {
    const user = await firstValueFrom(this.http.post<AdminUser>('/api/users', account));
    this.users.update((list) => sortByName([...(list ?? []), user]));
    return user;
  }

  async updateUser(username: string, changes: AccountChanges): Promise<AdminUser> {
    const user = await firstValueFrom(
      this.http.patch<AdminUser>(`/api/users/${encodeURIComponent(username)}`, changes),
    );
    this.users.update((list) =>
      (list ?? []).map((current) => (current.username === username ? user : current)),
    );
    return user;
  }

  /** The newest events matching `filters`, replacing those shown. */
  async searchAudit(filters: AuditFilters): Promise<void> {
    this.auditFilters.set(filters);
    await this.readAudit(filters, null);
  }

  /** The next, older page with the same filters, below the events shown. */
  async olderAudit(): Promise<void> {
    const before = this.auditNext();
    if (before === null || this.auditLoading()) return;
    await this.readAudit(this.auditFilters(), before);
  }

  /** The CSV download of the events matching `filters`, for a plain link (the browser sends the cookie). */
  auditCsvUrl(filters: AuditFilters): string {
    const params = auditParams(filters).set('limit', AUDIT_CSV_LIMIT).set('format', 'csv');
    return `/api/admin/audit?${params.toString()}`;
  }

  private async readAudit(filters: AuditFilters, before: string | null): Promise<void> {
    this.auditLoading.set(true);
    try {
      const params = before === null ? auditParams(filters) : auditParams(filters).set('before', before);
      const page = await firstValueFrom(this.http.get<AuditPageDto>('/api/admin/audit', { params }));
      // A search answered after a newer one started is dropped: the filters shown must match.
      if (this.auditFilters() !== filters) return;
      this.auditEvents.update((events) =>
        before === null ? page.events : [...(events ?? []), ...page.events],
      );
      this.auditNext.set(page.next);
      this.auditError.set(null);
    } catch (error) {
      if (this.auditFilters() === filters) this.auditError.set(toApiProblem(error).message);
    } finally {
      if (this.auditFilters() === filters) this.auditLoading.set(false);
    }
  }
}

function auditParams(filters: AuditFilters): HttpParams {
  let params = new HttpParams();
  for (const key of ['user', 'action', 'outcome', 'session', 'from', 'to'] as const) {
    const value = filters[key]?.trim();
    if (value) params = params.set(key, value);
  }
  return params;
}

function sortByName(users: AdminUser[]): AdminUser[] {
  return users.sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
}
