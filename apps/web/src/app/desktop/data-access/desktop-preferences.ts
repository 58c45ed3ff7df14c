// How the user likes their desktops shown (scaling, picture quality), remembered in localStorage.
import { Injectable, signal } from '@angular/core';

export type ViewMode = 'fit' | 'remote' | 'actual';
export type QualityPreset = 'best' | 'balanced' | 'low';

export interface DesktopPreferences {
  viewMode: ViewMode;
  quality: QualityPreset;
}

/** noVNC's JPEG quality (0-9, higher is better) and zlib compression (0-9, higher is smaller). */
export const QUALITY_PRESETS: Readonly<
  Record<QualityPreset, { label: string; hint: string; qualityLevel: number; compressionLevel: number }>
> = {
  best: { label: 'Best picture', hint: 'For a fast network', qualityLevel: 9, compressionLevel: 1 },
  balanced: { label: 'Balanced', hint: 'Good for most connections', qualityLevel: 6, compressionLevel: 2 },
  low: {
    label: 'Low bandwidth',
    hint: 'For slow or remote connections',
    qualityLevel: 2,
    compressionLevel: 8,
  },
};

export const DESKTOP_PREFERENCES_KEY = 'vizportal.desktop.preferences';
const DEFAULTS: DesktopPreferences = { viewMode: 'fit', quality: 'balanced' };

@Injectable({ providedIn: 'root' })
export class DesktopPreferencesStore {
  private readonly current = signal<DesktopPreferences>(read());
  readonly preferences = this.current.asReadonly();

  update(patch: Partial<DesktopPreferences>): void {
    const next = { ...this.current(), ...patch };
    this.current.set(next);
    try {
      localStorage.setItem(DESKTOP_PREFERENCES_KEY, JSON.stringify(next));
    } catch {
      // Private mode or a full storage: the choice lasts for this page only.
    }
  }
}

function read(): DesktopPreferences {
  try {
    const stored = JSON.parse(
      localStorage.getItem(DESKTOP_PREFERENCES_KEY) ?? '{}',
    ) as Partial<DesktopPreferences>;
    return {
      viewMode: ['fit', 'remote', 'actual'].includes(stored.viewMode as string)
        ? (stored.viewMode as ViewMode)
        : DEFAULTS.viewMode,
      quality: stored.quality && stored.quality in QUALITY_PRESETS ? stored.quality : DEFAULTS.quality,
    };
  } catch {
    return { ...DEFAULTS };
  }
}
