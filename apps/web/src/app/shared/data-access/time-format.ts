// Clock times in the user's zone, worded for cards: "14:05", "tomorrow 09:30", "Mon 3 Mar 09:30";
// and the minutes a session has used or has left, by the local clock. Durations are worded by
// session-domain's formatDuration.
import type { SessionDto } from '@vizportal/session-domain';

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

/** Minutes until the time limit, from the job's start (never negative, not rounded); null when not known. */
export function minutesLeft(
  session: Pick<SessionDto, 'startedAt' | 'timeLimitMinutes'>,
  now: number,
): number | null {
  if (!session.startedAt || session.timeLimitMinutes === null) return null;
  const endsAt = Date.parse(session.startedAt) + session.timeLimitMinutes * 60_000;
  return Math.max(0, (endsAt - now) / 60_000);
}

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}
