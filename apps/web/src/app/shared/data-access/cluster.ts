// The shape of GET /api/cluster: partitions with their limits, nodes with their load.
export interface PartitionDto {
  name: string;
  isDefault: boolean;
  /** up, down, drain or inactive */
  state: string;
  nodes: string[];
  /** null: unlimited */
  maxTimeMinutes: number | null;
  defaultTimeMinutes: number | null;
  maxCpusPerNode: number | null;
  maxMemoryPerNodeMb: number | null;
  gres: Record<string, string>;
}

export interface NodeDto {
  name: string;
  /** Slurm's base state, lower case: idle, mixed, allocated, down, … */
  state: string;
  flags: string[];
  /** Can take new jobs now. */
  usable: boolean;
  cpus: number;
  allocatedCpus: number;
  memoryMb: number;
  gres: string | null;
  partitions: string[];
  reason: string | null;
}

export interface ClusterDto {
  partitions: PartitionDto[];
  nodes: NodeDto[];
}

/** What a partition can offer right now, in the words the launcher shows. */
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
