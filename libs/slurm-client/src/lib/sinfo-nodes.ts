// The sinfo command behind listNodes and the reading of its output. `sinfo -N` prints one line
// per (node, partition); the lines of one node are merged into one NodeInfo with all its partitions.
// sinfo (not scontrol show node) because its -O fields come unpadded with a safe separator,
// whereas scontrol's Key=Value text has free-text values (OS=, Reason=) with spaces.
import { formatArgument, recordObject, splitRecords } from './delimited-output';
import { parseNodeState } from './node-state';
import type { NodeInfo } from './slurm-client';
import { optionalText, parseCount, parseMemoryMb } from './slurm-fields';

export const SINFO_NODE_FIELDS = [
  'NodeList',
  'NodeAddr',
  'NodeHost',
  'PartitionName',
  'StateComplete',
  'CPUsState',
  'Memory',
  'AllocMem',
  'FreeMem',
  'Gres',
  'GresUsed',
  'Reason',
] as const;

export function sinfoNodesArgs(): string[] {
  return ['-h', '--all', '-N', `--Format=${formatArgument(SINFO_NODE_FIELDS)}`];
}

export function parseSinfoNodes(stdout: string): NodeInfo[] {
  const byName = new Map<string, NodeInfo>();
  for (const record of splitRecords(stdout, SINFO_NODE_FIELDS.length)) {
    const f = recordObject(SINFO_NODE_FIELDS, record);
    const name = f.NodeList.trim();
    if (name === '') throw new Error('sinfo line without a node name');
    const partition = optionalText(f.PartitionName);
    const known = byName.get(name);
    if (known) {
      if (partition !== null && !known.partitions.includes(partition)) known.partitions.push(partition);
      continue;
    }
    // CPUsState is "allocated/idle/other/total".
    const [allocated, idle, other, total] = f.CPUsState.split('/').map((n) => parseCount(n));
    byName.set(name, {
      name,
      address: optionalText(f.NodeAddr) ?? name,
      hostname: optionalText(f.NodeHost),
      state: parseNodeState(f.StateComplete),
      cpus: { total: total ?? null, allocated: allocated ?? null, idle: idle ?? null, other: other ?? null },
      memoryMb: {
        total: parseMemoryMb(f.Memory),
        allocated: parseMemoryMb(f.AllocMem),
        free: parseMemoryMb(f.FreeMem),
      },
      gres: optionalText(f.Gres),
      gresUsed: optionalText(f.GresUsed),
      partitions: partition === null ? [] : [partition],
      reason: optionalText(f.Reason),
    });
  }
  return [...byName.values()];
}
