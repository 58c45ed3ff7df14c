import {
  type ApplicationConfig,
  inject,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import { MatIconRegistry } from '@angular/material/icon';
import { PreloadAllModules, provideRouter, withComponentInputBinding, withPreloading } from '@angular/router';
import { appRoutes } from './app.routes';
import { unauthorizedInterceptor } from './auth/data-access/unauthorized.interceptor';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    // Zoneless: noVNC 1.7 uses top-level await, which the zone.js polyfill cannot build with.
    provideZonelessChangeDetection(),
    provideHttpClient(withFetch(), withInterceptors([unauthorizedInterceptor])),
    // Lazy pages (the desktop's noVNC chunk too) load after the first render, so opening a desktop
    // does not wait for its code; the initial bundle stays small.
    provideRouter(appRoutes, withComponentInputBinding(), withPreloading(PreloadAllModules)),
    // Every <mat-icon> uses the self-hosted Material Symbols font (styles: material-symbols/outlined.css),
    // so templates need no fontSet attribute and no font is fetched from the internet.
    provideAppInitializer(() => {
      inject(MatIconRegistry).setDefaultFontSetClass('material-symbols-outlined');
    }),
  ],
};
