// Extend: may a running session get more time, and if not, the sentence its user reads. The limits
// are the partition's MaxTime (the portal asks Slurm as an operator, whom Slurm would let past it)
// and the site's most for extensions of one session, in all.
import type { Session } from './session';
import { formatDuration } from './session-view';

export interface ExtensionLimits {
  /** The partition's MaxTime, in minutes; null when it has none. */
  partitionMaxMinutes: number | null;
  /** The most Extend may add to one session, in all (minutes); 0: the site has Extend off. */
  siteMaxMinutes: number;
}

type ExtendedSession = Pick<Session, 'state' | 'timeLimitMinutes' | 'extendedMinutes'>;

/** Why `addMinutes` more may not be given to the session, or null when they may. */
export function extensionRefusal(
  session: ExtendedSession,
  addMinutes: number,
  limits: ExtensionLimits,
): string | null {
  if (limits.siteMaxMinutes <= 0) return 'Your site does not let sessions be extended.';
  if (session.state !== 'running')
    return `Only a running session can be extended; this one is ${session.state}.`;
  if (session.timeLimitMinutes === null) return 'This session has no time limit to extend.';
  const siteLeft = limits.siteMaxMinutes - session.extendedMinutes;
  if (addMinutes > siteLeft) {
    const most = `Your site lets a session be extended by ${formatDuration(limits.siteMaxMinutes)} in all`;
    return siteLeft <= 0
      ? `${most}, and this one has had all of it.`
      : `${most}; this one has had ${formatDuration(session.extendedMinutes)}, so ${formatDuration(siteLeft)} more at most.`;
  }
  const max = limits.partitionMaxMinutes;
  if (max !== null && session.timeLimitMinutes + addMinutes > max) {
    const room = max - session.timeLimitMinutes;
    const most = `Its partition allows at most ${formatDuration(max)}`;
    return room <= 0
      ? `${most}, which this session already has.`
      : `${most}; this session has ${formatDuration(session.timeLimitMinutes)}, so ${formatDuration(room)} more at most.`;
  }
  return null;
}
