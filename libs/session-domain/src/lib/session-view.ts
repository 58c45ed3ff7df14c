// What a user is told about a session: a headline for the card, a detail line, the time left.
// Dates are given to the UI as they are (it formats them in the user's zone); the words here use
// only durations, so they read the same on every machine.
import type { EndReason, Session } from './session';
import { isTerminal } from './session-state';
import { describeSlurmReason } from './slurm-reason';

export interface SessionView {
  /** e.g. 'Queued: waiting for resources', 'Running on viz01', 'Ended: node failure'. */
  headline: string;
  /** e.g. 'expected to start in about 25 min', '1 h 52 min left'; null when there is nothing to add. */
  detail: string | null;
  /** Minutes until Slurm's time limit ends the job; null unless starting or running with a known limit. */
  timeLeftMinutes: number | null;
  /** Slurm's estimate, only while queued. */
  expectedStartAt: Date | null;
}

const END_PHRASES: Readonly<Record<EndReason, string>> = {
  'app-exited': 'app exited',
  'cancelled-by-user': 'stopped by you',
  idle: 'stopped as idle',
  cancelled: 'cancelled in Slurm',
  terminated: 'stopped by a signal',
  'node-failure': 'node failure',
  'time-limit': 'time limit reached',
  'out-of-memory': 'out of memory',
  rejected: 'rejected by Slurm',
  'readiness-timeout': 'the desktop did not start',
  vanished: 'the job disappeared from Slurm',
  preempted: 'preempted by another job',
  'boot-failure': 'the node failed to boot',
  deadline: 'deadline passed',
  failed: 'the job failed',
};

// Live base states this file knows how to word; any other is shown as Slurm spelled it.
const KNOWN_LIVE_SLURM_STATES: ReadonlySet<string> = new Set(['PENDING', 'RUNNING', 'SUSPENDED']);

export function describeSession(session: Session, now: Date): SessionView {
  if (isTerminal(session.state)) return describeEnded(session);

  const timeLeftMinutes = minutesLeft(session, now);
  const timeLeft = timeLeftMinutes === null ? null : `${formatDuration(timeLeftMinutes)} left`;
  const on = session.node ? ` on ${session.node}` : '';
  const slurmState = session.slurm?.state.toUpperCase() ?? null;
  const slurmFlags = session.slurm?.flags.map((flag) => flag.toUpperCase()) ?? [];
  const missing = session.notListedSince ? 'Slurm no longer lists the job; checking whether it ended' : null;

  if (slurmState === 'SUSPENDED' || slurmFlags.includes('STOPPED')) {
    return view(`Suspended${on}`, missing ?? 'Slurm has paused the job', timeLeftMinutes);
  }
  // An unknown Slurm state keeps the session's state; say what Slurm said rather than guess.
  const unusual =
    slurmState !== null && !KNOWN_LIVE_SLURM_STATES.has(slurmState) ? `Slurm reports ${slurmState}` : null;

  switch (session.state) {
    case 'submitting':
      return view('Submitting', 'sending the job to Slurm', null);
    case 'queued': {
      const reason = slurmFlags.includes('CONFIGURING')
        ? 'starting the node'
        : describeSlurmReason(session.slurm?.reason);
      const expected = session.expectedStartAt ? expectedStart(session.expectedStartAt, now) : null;
      return {
        headline: reason ? `Queued: ${reason}` : 'Queued',
        detail: missing ?? unusual ?? expected,
        timeLeftMinutes: null,
        expectedStartAt: session.expectedStartAt,
      };
    }
    case 'starting':
      return view(
        `Starting${on}`,
        missing ?? unusual ?? join('waiting for the desktop', timeLeft),
        timeLeftMinutes,
      );
    case 'running':
      return view(`Running${on}`, missing ?? unusual ?? timeLeft, timeLeftMinutes);
  }
}

/** How a duration under a minute reads: in a sentence, or in a tight spot such as a card's facts. */
export type DurationStyle = 'words' | 'compact';

/**
 * '45 min', '1 h 52 min', '2 d 3 h'; under a minute reads 'less than a minute' ('< 1 min' compact).
 * The API (through describeSession) and the web app both word durations with it, so they read alike.
 */
export function formatDuration(minutes: number, style: DurationStyle = 'words'): string {
  const total = Math.floor(minutes);
  if (total < 1) return style === 'compact' ? '< 1 min' : 'less than a minute';
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const mins = total % 60;
  // Beyond a day the minutes are noise.
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return mins > 0 ? `${hours} h ${mins} min` : `${hours} h`;
  return `${mins} min`;
}

function describeEnded(session: Session): SessionView {
  const phrase = session.endReason ? END_PHRASES[session.endReason] : null;
  const headline = phrase ? `Ended: ${phrase}` : 'Ended';
  let detail: string | null = null;
  // sbatch's refusal is one line worth showing; a log tail is too long for a card (the UI shows `message`).
  if (session.endReason === 'rejected' || session.endReason === 'idle') detail = session.message;
  else if (session.exitCode !== null && session.exitCode !== 0) detail = `exit code ${session.exitCode}`;
  return view(headline, detail, null);
}

function minutesLeft(session: Session, now: Date): number | null {
  if (session.state !== 'starting' && session.state !== 'running') return null;
  if (session.startedAt === null || session.timeLimitMinutes === null) return null;
  const endsAt = session.startedAt.getTime() + session.timeLimitMinutes * 60_000;
  return Math.max(0, Math.floor((endsAt - now.getTime()) / 60_000));
}

function expectedStart(at: Date, now: Date): string {
  const minutes = Math.round((at.getTime() - now.getTime()) / 60_000);
  // Slurm's estimate is often already past while the job waits on; 'soon' is the honest word.
  return minutes < 1 ? 'expected to start soon' : `expected to start in about ${formatDuration(minutes)}`;
}

function join(...parts: (string | null)[]): string | null {
  const present = parts.filter((part): part is string => part !== null);
  return present.length > 0 ? present.join(', ') : null;
}

function view(headline: string, detail: string | null, timeLeftMinutes: number | null): SessionView {
  return { headline, detail, timeLeftMinutes, expectedStartAt: null };
}
