// REST calls for sessions. State lives in SessionStore; this only talks HTTP.
import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { SessionDto, SessionListDto } from '@vizportal/session-domain';
import { firstValueFrom } from 'rxjs';

export interface ConnectGrant {
  /** '/api/sessions/:id/vnc?token=…' */
  path: string;
  token: string;
  expiresAt: string;
  /** The desktop's one-time VNC password. */
  password: string;
}

export interface SessionLog {
  text: string;
  truncated: boolean;
}

@Injectable({ providedIn: 'root' })
export class SessionsApi {
  private readonly http = inject(HttpClient);

  /**
   * Without `before`: every live session and the most recent ended ones; with the `nextBefore` of a
   * page, the ended sessions older than it.
   */
  list(before?: string): Promise<SessionListDto> {
    const params = before === undefined ? undefined : new HttpParams().set('before', before);
    return firstValueFrom(this.http.get<SessionListDto>('/api/sessions', { params }));
  }

  get(id: string): Promise<SessionDto> {
    return firstValueFrom(this.http.get<SessionDto>(`/api/sessions/${encodeURIComponent(id)}`));
  }

  launch(appId: string, values: Record<string, string | number | boolean>): Promise<SessionDto> {
    return firstValueFrom(this.http.post<SessionDto>('/api/sessions', { appId, values }));
  }

  stop(id: string): Promise<SessionDto> {
    return firstValueFrom(this.http.post<SessionDto>(`/api/sessions/${encodeURIComponent(id)}/stop`, {}));
  }

  remove(id: string): Promise<void> {
    return firstValueFrom(this.http.delete<void>(`/api/sessions/${encodeURIComponent(id)}`));
  }

  relaunch(id: string): Promise<SessionDto> {
    return firstValueFrom(this.http.post<SessionDto>(`/api/sessions/${encodeURIComponent(id)}/relaunch`, {}));
  }

  /** More time for a running session: Slurm's limit rises by `minutes` (409 with the reason when it may not). */
  extend(id: string, minutes: number): Promise<SessionDto> {
    return firstValueFrom(
      this.http.post<SessionDto>(`/api/sessions/${encodeURIComponent(id)}/extend`, { minutes }),
    );
  }

  /** Keeps a running session from its idle stop: its idle clocks start again. */
  keep(id: string): Promise<SessionDto> {
    return firstValueFrom(this.http.post<SessionDto>(`/api/sessions/${encodeURIComponent(id)}/keep`, {}));
  }

  /** A single-use, short-lived VNC token: ask again for every (re)connect. */
  connect(id: string): Promise<ConnectGrant> {
    return firstValueFrom(
      this.http.post<ConnectGrant>(`/api/sessions/${encodeURIComponent(id)}/connect`, {}),
    );
  }

  log(id: string): Promise<SessionLog> {
    return firstValueFrom(this.http.get<SessionLog>(`/api/sessions/${encodeURIComponent(id)}/log`));
  }
}
