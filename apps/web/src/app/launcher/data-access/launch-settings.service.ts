// The user's saved settings for one app (GET /api/apps/:appId/settings): the last launch's values
// and the named presets, and saving or deleting a preset. Each call answers or throws the API's error.
import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { FormFieldValue, LaunchPresetDto, LaunchSettingsDto } from '@vizportal/session-domain';
import { firstValueFrom } from 'rxjs';

@Injectable({ providedIn: 'root' })
export class LaunchSettingsService {
  private readonly http = inject(HttpClient);

  load(appId: string): Promise<LaunchSettingsDto> {
    return firstValueFrom(
      this.http.get<LaunchSettingsDto>(`/api/apps/${encodeURIComponent(appId)}/settings`),
    );
  }

  savePreset(appId: string, name: string, values: Record<string, FormFieldValue>): Promise<LaunchPresetDto> {
    return firstValueFrom(this.http.put<LaunchPresetDto>(presetUrl(appId, name), { values }));
  }

  async deletePreset(appId: string, name: string): Promise<void> {
    await firstValueFrom(this.http.delete<void>(presetUrl(appId, name)));
  }
}

function presetUrl(appId: string, name: string): string {
  return `/api/apps/${encodeURIComponent(appId)}/presets/${encodeURIComponent(name)}`;
}
