// The portal's shell: a top bar and the routed page below it.
import { Component } from '@angular/core';
import { MatToolbarModule } from '@angular/material/toolbar';
import { RouterLink, RouterOutlet } from '@angular/router';

@Component({
  imports: [MatToolbarModule, RouterLink, RouterOutlet],
  selector: 'vp-root',
  template: `
    <mat-toolbar color="primary" class="vp-toolbar">
      <a routerLink="/" class="vp-brand">vizportal</a>
      <span class="vp-tagline">Interactive desktops on the cluster</span>
    </mat-toolbar>
    <main class="vp-main"><router-outlet /></main>
  `,
  styles: `
    .vp-brand { color: inherit; text-decoration: none; font-weight: 600; margin-right: 1rem; }
    .vp-tagline { font-size: 0.9rem; opacity: 0.8; }
    .vp-main { max-width: 1100px; margin: 1.5rem auto; padding: 0 1rem; }
  `,
})
export class App {}
