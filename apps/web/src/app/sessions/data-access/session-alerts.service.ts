// Tells the user what they are waiting for, wherever they are in the portal: a toast (and a
// browser notification, if allowed, and a mark in the tab's title for a user who looked away)
// when a queued desktop is ready, and a warning when the time limit is near (the API's timeWarningAt: the site's SESSION_TIME_WARNING_MINUTES before it), with
// an Extend (one more hour) where the session allows it; and a warning with "Keep it running" when
// the portal is about to stop a desktop as idle (the session's idleStop, which the API sets and
// withdraws). Driven by the store's socket updates and the local clock.
// Only for the user's own sessions: an administrator's store holds everyone's, which are not theirs to open.
import { DestroyRef, Injectable, effect, inject } from '@angular/core';
import { MatSnackBar, type MatSnackBarRef, type TextOnlySnackBar } from '@angular/material/snack-bar';
import { NavigationEnd, Router } from '@angular/router';
import { formatDuration, type SessionDto } from '@vizportal/session-domain';
import { filter } from 'rxjs';
import { AuthStore } from '../../shared/data-access/auth.store';
import { Clock } from '../../shared/data-access/clock';
import { BrowserNotifications } from '../../shared/data-access/browser-notifications';
import { toApiProblem } from '../../shared/data-access/api-error';
import { minutesLeft } from '../../shared/data-access/time-format';
import { SessionStore, type SessionChange } from '../../shared/data-access/session-store';
import { TabTitleAlert } from '../../shared/data-access/tab-title-alert';

/** What the warning's Extend asks for. */
export const WARNING_EXTEND_MINUTES = 60;

/** A desktop became usable: it was waiting (queued or starting) and now runs. */
export function becameReady({ previous, current }: SessionChange): boolean {
  return previous !== undefined && previous.state !== 'running' && current.state === 'running';
}

@Injectable({ providedIn: 'root' })
export class SessionAlerts {
  private readonly store = inject(SessionStore);
  private readonly auth = inject(AuthStore);
  private readonly clock = inject(Clock);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  private readonly warned = new Set<string>();
  /** The idle stops already warned of, by session id and stop time: a new stop time is a new warning. */
  private readonly idleWarned = new Set<string>();
  private readyToast: { ref: MatSnackBarRef<TextOnlySnackBar>; url: string } | null = null;
  private readonly permission = inject(BrowserNotifications);
  private readonly tabTitle = inject(TabTitleAlert);

  constructor() {
    const subscription = this.store.changes.subscribe((change) => {
      if (becameReady(change) && this.isOwn(change.current)) this.announceReady(change.current);
    });
    // Once the user is at the desktop the toast announced, it has done its job.
    const navigation = this.router.events
      .pipe(filter((event) => event instanceof NavigationEnd))
      .subscribe((event) => {
        if (this.readyToast && event.urlAfterRedirects.startsWith(this.readyToast.url))
          this.readyToast.ref.dismiss();
      });
    inject(DestroyRef).onDestroy(() => {
      subscription.unsubscribe();
      navigation.unsubscribe();
    });
    effect(() => this.checkWalltimes(this.store.sessions(), this.clock.now()));
    effect(() => this.checkIdleStops(this.store.sessions()));
  }

  private isOwn(session: SessionDto): boolean {
    return session.owner === this.auth.user()?.username;
  }

  private announceReady(session: SessionDto): void {
    const desktopUrl = `/sessions/${session.id}/desktop`;
    const where = session.node ? ` on ${session.node}` : '';
    // Already looking at this desktop: its overlay lifting says enough.
    if (!this.router.url.startsWith(desktopUrl)) {
      const ref = this.snackBar.open(`${session.appTitle} is ready${where}.`, 'Open', { duration: 10_000 });
      ref.onAction().subscribe(() => void this.router.navigateByUrl(desktopUrl));
      this.readyToast = { ref, url: desktopUrl };
    }
    this.tabTitle.show(`${session.appTitle} is ready`);
    this.notify(
      `${session.appTitle} is ready`,
      `Your desktop is running${where}. Click to open it.`,
      session.id,
      () => void this.router.navigateByUrl(desktopUrl),
    );
  }

  private checkWalltimes(sessions: SessionDto[], now: number): void {
    for (const session of sessions) {
      if (session.state !== 'running' || this.warned.has(session.id) || !this.isOwn(session)) continue;
      if (session.timeWarningAt === null || now < Date.parse(session.timeWarningAt)) continue;
      const left = minutesLeft(session, now);
      if (left === null || left <= 0) continue;
      this.warned.add(session.id);
      const words = `${session.appTitle}${session.node ? ` on ${session.node}` : ''} ends in ${formatDuration(Math.ceil(left))}: its time limit is reached then. Save your work.`;
      const action = session.canExtend ? `Extend ${formatDuration(WARNING_EXTEND_MINUTES)}` : 'OK';
      const ref = this.snackBar.open(words, action, { duration: 30_000, panelClass: 'vp-snack-warning' });
      if (session.canExtend) ref.onAction().subscribe(() => void this.extend(session));
      this.tabTitle.show(`${session.appTitle} ends in ${formatDuration(Math.ceil(left))}`);
      this.notify('Time is almost up', words, `${session.id}-walltime`);
    }
  }

  private checkIdleStops(sessions: SessionDto[]): void {
    for (const session of sessions) {
      const stop = session.idleStop;
      if (session.state !== 'running' || stop === null || !this.isOwn(session)) continue;
      const key = `${session.id}@${stop.at}`;
      if (this.idleWarned.has(key)) continue;
      this.idleWarned.add(key);
      const at = new Date(stop.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      const words = `${session.appTitle}${session.node ? ` on ${session.node}` : ''} will be stopped at ${at}, as nobody is using it (${stop.reason.replace(/^Stopped after /, '').replace(/\.$/, '')}).`;
      const ref = this.snackBar.open(words, 'Keep it running', {
        duration: 60_000,
        panelClass: 'vp-snack-warning',
      });
      ref.onAction().subscribe(() => void this.keep(session));
      this.tabTitle.show(`${session.appTitle} will be stopped at ${at}`);
      this.notify('Your desktop is idle', words, `${session.id}-idle`);
    }
  }

  private async keep(session: SessionDto): Promise<void> {
    try {
      await this.store.keep(session.id);
      this.snackBar.open(`${session.appTitle} keeps running.`, undefined, { duration: 5000 });
    } catch (error) {
      this.snackBar.open(toApiProblem(error).message, 'OK', { duration: 10_000 });
    }
  }

  private async extend(session: SessionDto): Promise<void> {
    try {
      const extended = await this.store.extend(session.id, WARNING_EXTEND_MINUTES);
      const left = minutesLeft(extended, this.clock.now());
      this.snackBar.open(
        `${session.appTitle} has ${formatDuration(WARNING_EXTEND_MINUTES)} more${left === null ? '' : `: ${formatDuration(Math.floor(left))} left`}.`,
        undefined,
        { duration: 5000 },
      );
      // A later approach to the new limit is worth a warning of its own.
      this.warned.delete(session.id);
    } catch (error) {
      this.snackBar.open(toApiProblem(error).message, 'OK', { duration: 10_000 });
    }
  }

  private notify(title: string, body: string, tag: string, onClick?: () => void): void {
    if (!this.permission.granted) return;
    try {
      const notification = new Notification(title, { body, tag, icon: '/favicon.ico' });
      notification.onclick = () => {
        window.focus();
        onClick?.();
        notification.close();
      };
    } catch {
      // Some browsers only allow notifications from a service worker; the toast is enough.
    }
  }
}
