// The contract of GET /api/cluster: the cluster as users may see it, partitions with their limits
// and nodes with their load. The API's response classes implement these; the web app reads them.
// Node addresses are not part of it: the browser never learns where a desktop runs.

export interface PartitionDto {
  name: string;
  isDefault: boolean;
  /** up, down, drain or inactive */
  state: string;
  nodes: string[];
  /** null: unlimited */
  maxTimeMinutes: number | null;
  defaultTimeMinutes: number | null;
  /** CPUs of the largest node. */
  maxCpusPerNode: number | null;
  maxMemoryPerNodeMb: number | null;
  /** Generic resources (GPUs) in the partition, e.g. { gpu: '2' }. */
  gres: Record<string, string>;
}

export interface NodeDto {
  name: string;
  /** Slurm's base state, lower case: idle, mixed, allocated, down, … */
  state: string;
  /** State flags, lower case, such as drain or not_responding. */
  flags: string[];
  /** Can take new jobs now. */
  usable: boolean;
  cpus: number;
  allocatedCpus: number;
  memoryMb: number;
  /** e.g. 'gpu:2' */
  gres: string | null;
  partitions: string[];
  reason: string | null;
}

export interface ClusterDto {
  partitions: PartitionDto[];
  nodes: NodeDto[];
}
