// Slurm node states as typed values. Read from sinfo's StateComplete field ("mixed",
// "idle+drain", "down+not_responding"): a base state and '+'-joined flags, lower case.
// The raw text is always kept; unknown words become flags as they are, never errors.

export const NODE_BASE_STATES = ['IDLE', 'MIXED', 'ALLOCATED', 'DOWN', 'ERROR', 'FUTURE', 'UNKNOWN'] as const;
export type NodeBaseState = (typeof NODE_BASE_STATES)[number];

/** One word for the UI: what the node means for new jobs. */
export type NodeAvailability =
  | 'idle'
  | 'mixed'
  | 'allocated'
  | 'draining'
  | 'drained'
  | 'down'
  | 'not-responding'
  | 'maintenance'
  | 'powered-down'
  | 'unknown';

export interface NodeState {
  base: NodeBaseState;
  /** Upper case as in Slurm's docs: DRAIN, NOT_RESPONDING, COMPLETING, MAINTENANCE, POWERED_DOWN, ... */
  flags: string[];
  raw: string;
  availability: NodeAvailability;
  /** Can take new jobs now (up, responding, not draining/drained/failing/in maintenance). */
  usable: boolean;
}

const BASE_SET: ReadonlySet<string> = new Set(NODE_BASE_STATES);

// Any of these keeps a node from starting new jobs.
const BLOCKING_FLAGS = [
  'DRAIN',
  'FAIL',
  'NOT_RESPONDING',
  'MAINTENANCE',
  'POWERED_DOWN',
  'POWERING_DOWN',
  'POWER_DOWN',
  'POWERING_UP',
  'REBOOT_ISSUED',
  'REBOOT_REQUESTED',
  'INVALID_REG',
];

// sinfo's short markers on StateLong ("down*", "idle~"), in case a caller hands us that field.
const SUFFIX_FLAGS: Readonly<Record<string, string>> = {
  '*': 'NOT_RESPONDING',
  '~': 'POWERED_DOWN',
  '#': 'POWERING_UP',
  '%': 'POWERING_DOWN',
  '!': 'POWER_DOWN',
  $: 'MAINTENANCE',
  '@': 'REBOOT_REQUESTED',
  '^': 'REBOOT_ISSUED',
  '-': 'PLANNED',
};

// Words of the compound StateLong forms.
const LONG_FORMS: Readonly<Record<string, { base: NodeBaseState; flags: string[] }>> = {
  DRAINED: { base: 'IDLE', flags: ['DRAIN'] },
  DRAINING: { base: 'ALLOCATED', flags: ['DRAIN'] },
  ALLOC: { base: 'ALLOCATED', flags: [] },
  COMPLETING: { base: 'ALLOCATED', flags: ['COMPLETING'] },
  FAIL: { base: 'IDLE', flags: ['FAIL'] },
  FAILING: { base: 'ALLOCATED', flags: ['FAIL'] },
  MAINT: { base: 'IDLE', flags: ['MAINTENANCE'] },
};

export function parseNodeState(raw: string): NodeState {
  const words = raw
    .trim()
    .toUpperCase()
    .split('+')
    .filter((w) => w !== '');
  let base: NodeBaseState | undefined;
  const flags: string[] = [];
  const addFlag = (flag: string): void => {
    if (!flags.includes(flag)) flags.push(flag);
  };
  for (let word of words) {
    while (word.length > 1 && SUFFIX_FLAGS[word[word.length - 1]] !== undefined) {
      addFlag(SUFFIX_FLAGS[word[word.length - 1]]);
      word = word.slice(0, -1);
    }
    if (base === undefined && BASE_SET.has(word)) {
      base = word as NodeBaseState;
    } else if (base === undefined && LONG_FORMS[word] !== undefined) {
      base = LONG_FORMS[word].base;
      LONG_FORMS[word].flags.forEach(addFlag);
    } else {
      addFlag(word);
    }
  }
  const resolvedBase = base ?? 'UNKNOWN';
  const availability = availabilityOf(resolvedBase, flags);
  const usable =
    (resolvedBase === 'IDLE' || resolvedBase === 'MIXED' || resolvedBase === 'ALLOCATED') &&
    !flags.some((f) => BLOCKING_FLAGS.includes(f));
  return { base: resolvedBase, flags, raw, availability, usable };
}

function availabilityOf(base: NodeBaseState, flags: readonly string[]): NodeAvailability {
  if (base === 'DOWN' || flags.includes('FAIL')) return 'down';
  if (flags.includes('DRAIN')) return base === 'IDLE' ? 'drained' : 'draining';
  if (flags.includes('NOT_RESPONDING')) return 'not-responding';
  if (flags.includes('MAINTENANCE')) return 'maintenance';
  if (flags.includes('POWERED_DOWN') || flags.includes('POWERING_DOWN')) return 'powered-down';
  switch (base) {
    case 'IDLE':
      return 'idle';
    case 'MIXED':
      return 'mixed';
    case 'ALLOCATED':
      return 'allocated';
    default:
      return 'unknown';
  }
}
