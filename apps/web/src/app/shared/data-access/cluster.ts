// What the portal tells a user about the cluster (GET /api/cluster, whose shape is session-domain's
// ClusterDto): a partition's load, and its time limit in the words the launcher and status page use.
import { type ClusterDto, type PartitionDto, formatDuration } from '@vizportal/session-domain';

/** What a partition can offer right now. */
export interface PartitionLoad {
  partition: PartitionDto;
  usableNodes: number;
  freeCpus: number;
  totalCpus: number;
}

export function partitionLoad(cluster: ClusterDto, name: string): PartitionLoad | null {
  const partition = cluster.partitions.find((candidate) => candidate.name === name);
  if (!partition) return null;
  const nodes = cluster.nodes.filter((node) => node.partitions.includes(name));
  const usable = nodes.filter((node) => node.usable);
  return {
    partition,
    usableNodes: usable.length,
    freeCpus: usable.reduce((sum, node) => sum + Math.max(0, node.cpus - node.allocatedCpus), 0),
    totalCpus: nodes.reduce((sum, node) => sum + node.cpus, 0),
  };
}

/** A partition's time limit: 'up to 8 h', or 'no time limit'. */
export function describeTimeLimit(maxTimeMinutes: number | null): string {
  return maxTimeMinutes === null ? 'no time limit' : `up to ${formatDuration(maxTimeMinutes)}`;
}
