// Clock times in the user's zone, worded for cards: "14:05", "tomorrow 09:30", "Mon 3 Mar 09:30".
import { formatDuration } from '@vizportal/session-domain';

export { formatDuration };

/** formatDuration for tight spots (a card's facts): '< 1 min' rather than 'less than a minute'. */
export function formatShortDuration(minutes: number): string {
  return minutes < 1 ? '< 1 min' : formatDuration(minutes);
}

export function formatClockTime(iso: string | null, now: number): string | null {
  if (!iso) return null;
  const at = new Date(iso);
  const time = at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const today = new Date(now);
  const dayDiff = Math.round((startOfDay(at) - startOfDay(today)) / 86_400_000);
  if (dayDiff === 0) return time;
  if (dayDiff === 1) return `tomorrow ${time}`;
  if (dayDiff === -1) return `yesterday ${time}`;
  return `${at.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' })} ${time}`;
}

/** Whole minutes between an ISO time and now (never negative). */
export function minutesSince(iso: string | null, now: number): number | null {
  if (!iso) return null;
  return Math.max(0, Math.floor((now - new Date(iso).getTime()) / 60_000));
}

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}
