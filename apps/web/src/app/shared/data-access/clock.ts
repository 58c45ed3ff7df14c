// A coarse "now" for the times shown on cards (time used, time left, walltime warnings).
// It ticks locally every 15 s: the server is never polled for this.
import { DestroyRef, Injectable, inject, signal } from '@angular/core';

export const CLOCK_TICK_MS = 15_000;

@Injectable({ providedIn: 'root' })
export class Clock {
  private readonly current = signal(Date.now());
  readonly now = this.current.asReadonly();

  constructor() {
    const timer = setInterval(() => this.current.set(Date.now()), CLOCK_TICK_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  /** For tests, and for code that just changed something time-related. */
  tick(now = Date.now()): void {
    this.current.set(now);
  }
}
