// Slurm's pending reasons in words a user understands. Slurm has dozens and adds more;
// the common ones are written out, account/QOS limits are grouped, the rest are made readable.

const REASON_PHRASES: Readonly<Record<string, string>> = {
  Resources: 'waiting for resources',
  Priority: 'waiting behind higher-priority jobs',
  JobHeldUser: 'held',
  JobHeldAdmin: 'held by an administrator',
  ReqNodeNotAvail: 'the requested nodes are not available',
  NodeDown: 'a node it needs is down',
  PartitionDown: 'the partition is down',
  PartitionInactive: 'the partition is inactive',
  PartitionNodeLimit: 'it asks for more nodes than the partition allows',
  PartitionTimeLimit: 'it asks for more time than the partition allows',
  QOSMaxJobsPerUserLimit: 'you already run as many jobs as allowed',
  QOSMaxSubmitJobPerUserLimit: 'you already have as many jobs as allowed',
  QOSMaxCpuPerUserLimit: 'you already use as many CPUs as allowed',
  QOSMaxGRESPerUser: 'you already use as many GPUs as allowed',
  AssocMaxJobsLimit: 'your account already runs as many jobs as allowed',
  AssocGrpJobsLimit: "your group's job limit is reached",
  AssocGrpCpuLimit: "your group's CPU limit is reached",
  AssocGrpMemLimit: "your group's memory limit is reached",
  AssocGrpGRES: "your group's GPU limit is reached",
  Dependency: 'waiting for another job to finish',
  DependencyNeverSatisfied: 'its dependency can never be satisfied',
  BeginTime: 'waiting for its start time',
  Reservation: 'waiting for its reservation',
  Licenses: 'waiting for licenses',
  BadConstraints: 'its constraints cannot be met',
  Cleaning: 'the previous run is still cleaning up',
  InvalidAccount: 'the account is not valid',
  InvalidQOS: 'the QOS is not valid',
  JobLaunchFailure: 'the launch failed',
  'launch failed requeued held': 'the launch failed; held',
  Prolog: 'preparing the node',
  SystemFailure: 'a system failure',
};

/**
 * A user-facing phrase for a Slurm reason, or null when there is nothing to say ('None', empty).
 * Accepts squeue's forms: 'Resources', '(Resources)', 'ReqNodeNotAvail, UnavailableNodes:viz01'.
 */
export function describeSlurmReason(reason: string | null | undefined): string | null {
  if (!reason) return null;
  const text = reason
    .trim()
    .replace(/^\((.*)\)$/, '$1')
    .trim();
  if (text === '' || text === 'None') return null;
  const exact = REASON_PHRASES[text];
  if (exact) return exact;
  // Slurm appends details after a comma ('ReqNodeNotAvail, UnavailableNodes:…'); the code comes first.
  const code = text.split(',')[0].trim();
  const phrase = REASON_PHRASES[code];
  if (phrase) return phrase;
  if (/^(Assoc|QOS)\w*(Limit|GRES|Minutes)\w*$/.test(code)) return `a usage limit is reached (${code})`;
  return readable(code);
}

/** 'MaxCpuPerNode' → 'max cpu per node'; text that already has spaces is left as it is. */
function readable(code: string): string {
  if (/\s/.test(code)) return code;
  return code
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .split(' ')
    .map((word) => (/^[A-Z]{2,}$/.test(word) ? word : word.toLowerCase()))
    .join(' ');
}
