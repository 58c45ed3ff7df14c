// Readers for single Slurm field values: timestamps, durations, memory sizes, exit codes,
// TRES lists and the words Slurm prints for "nothing" ("N/A", "(null)", "Unknown", ...).

const EMPTY_WORDS = new Set(['', 'N/A', 'n/a', '(null)', 'Unknown', 'None', 'NONE', 'none', '(none)']);

/** The value, or null when Slurm printed one of its "no value" words. */
export function optionalText(value: string | undefined): string | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  return EMPTY_WORDS.has(trimmed) ? null : trimmed;
}

/**
 * A Slurm timestamp. The client runs every command with SLURM_TIME_FORMAT=%s, so Slurm prints
 * epoch seconds and no time zone can be misread; the ISO form ("2026-11-28T02:30:40", local time)
 * is still read for output produced without it. "N/A", "Unknown", "None" and 0 mean no time.
 */
export function parseSlurmTime(value: string | undefined): Date | null {
  const text = optionalText(value);
  if (text === null) return null;
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    return seconds > 0 ? new Date(seconds * 1000) : null;
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (iso) {
    const [, y, mo, d, h, mi, s] = iso.map(Number);
    return new Date(y, mo - 1, d, h, mi, s);
  }
  return null;
}

/**
 * A Slurm duration in seconds: "[D-]HH:MM:SS", "H:MM:SS", "M:SS", "D-HH", "D-HH:MM", or bare
 * minutes (as sbatch --time takes them). Null for "UNLIMITED", "NOT_SET", "INVALID", "Partition_Limit" etc.
 */
export function parseSlurmDuration(value: string | undefined): number | null {
  const text = optionalText(value);
  if (text === null) return null;
  const m = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(text);
  if (!m) return null;
  const [, daysText, a, b, c] = m;
  const days = daysText === undefined ? 0 : Number(daysText);
  let hours = 0;
  let minutes = 0;
  let seconds = 0;
  if (daysText !== undefined) {
    // With days: D-HH, D-HH:MM, D-HH:MM:SS.
    hours = Number(a);
    minutes = b === undefined ? 0 : Number(b);
    seconds = c === undefined ? 0 : Number(c);
  } else if (c !== undefined) {
    hours = Number(a);
    minutes = Number(b);
    seconds = Number(c);
  } else if (b !== undefined) {
    minutes = Number(a);
    seconds = Number(b);
  } else {
    minutes = Number(a);
  }
  return ((days * 24 + hours) * 60 + minutes) * 60 + seconds;
}

/** A duration in whole minutes (rounded up, as Slurm's limits are minutes), null when unlimited/unset. */
export function parseSlurmMinutes(value: string | undefined): number | null {
  const seconds = parseSlurmDuration(value);
  return seconds === null ? null : Math.ceil(seconds / 60);
}

const UNIT_TO_MB: Readonly<Record<string, number>> = {
  K: 1 / 1024,
  M: 1,
  G: 1024,
  T: 1024 * 1024,
  P: 1024 ** 3,
};

/** A memory size in MB: "256M", "4G", "4096" (MB). Null for UNLIMITED or unreadable values. */
export function parseMemoryMb(value: string | undefined): number | null {
  const text = optionalText(value);
  if (text === null) return null;
  const m = /^(\d+(?:\.\d+)?)([KMGTP]?)B?$/i.exec(text);
  if (!m) return null;
  const unit = m[2] === '' ? 'M' : m[2].toUpperCase();
  return Math.round(Number(m[1]) * UNIT_TO_MB[unit]);
}

/** A non-negative integer, or null ("UNLIMITED", "N/A", "1-infinite" and the like). */
export function parseCount(value: string | undefined): number | null {
  const text = optionalText(value);
  if (text === null || !/^\d+$/.test(text)) return null;
  return Number(text);
}

export interface ExitStatus {
  /** The exit code of the batch script (0-255); 0 when it was killed by a signal. */
  code: number;
  /** The signal that ended it, 0 when none. */
  signal: number;
}

/** scontrol's "ExitCode=3:0" (code:signal). */
export function parseExitCodePair(value: string | undefined): ExitStatus | null {
  const m = /^(\d+):(\d+)$/.exec((value ?? '').trim());
  return m ? { code: Number(m[1]), signal: Number(m[2]) } : null;
}

/**
 * squeue's exit_code field, which (on 22.05) is the raw wait(2) status: 768 is exit code 3,
 * 9 is "killed by signal 9" (what scontrol shows as 3:0 and 0:9).
 */
export function parseWaitStatus(value: string | undefined): ExitStatus | null {
  const text = optionalText(value);
  if (text === null || !/^\d+$/.test(text)) return null;
  const status = Number(text);
  const signal = status & 0x7f;
  return signal !== 0 ? { code: 0, signal } : { code: (status >> 8) & 0xff, signal: 0 };
}

/** "cpu=4,mem=4G,node=1,billing=4,gres/gpu=1" as a map; empty for "(null)" or "". */
export function parseTres(value: string | undefined): Record<string, string> {
  const text = optionalText(value);
  const tres: Record<string, string> = {};
  if (text === null) return tres;
  for (const item of text.split(',')) {
    const eq = item.indexOf('=');
    if (eq > 0) tres[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return tres;
}

/** The "gres/..." entries of a TRES map, keyed without the prefix ("gpu", "gpu:a100"). */
export function gresOf(tres: Readonly<Record<string, string>>): Record<string, string> {
  const gres: Record<string, string> = {};
  for (const [key, value] of Object.entries(tres)) {
    if (key.startsWith('gres/')) gres[key.slice('gres/'.length)] = value;
  }
  return gres;
}

/** "alice(1001)" -> "alice" (scontrol's UserId=); a bare name is returned as it is. */
export function userNameOf(value: string | undefined): string | null {
  const text = optionalText(value);
  if (text === null) return null;
  const paren = text.indexOf('(');
  return paren > 0 ? text.slice(0, paren) : text;
}
