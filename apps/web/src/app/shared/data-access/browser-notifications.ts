// Whether the browser may show this site's notifications. Kept apart from the alerts themselves
// (which need Material's snack bar) so that the shell can offer "notify me" without loading them.
import { Injectable, signal } from '@angular/core';

export type Permission = NotificationPermission | 'unsupported';

@Injectable({ providedIn: 'root' })
export class BrowserNotifications {
  readonly state = signal<Permission>(read());

  /** Asks the browser; only ever from a click (browsers require a user gesture). Never awaited by callers. */
  async request(): Promise<void> {
    if (this.state() !== 'default') return;
    try {
      this.state.set(await Notification.requestPermission());
    } catch {
      this.state.set(read());
    }
  }

  get granted(): boolean {
    return read() === 'granted';
  }
}

function read(): Permission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}
