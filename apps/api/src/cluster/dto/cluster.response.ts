// The cluster as users may see it: partitions with their limits and nodes with their states.
// Node addresses are left out on purpose: the browser never learns where a desktop runs.
// The classes document the contract of session-domain (cluster.dto.ts) for Swagger; `implements`
// makes a drift between the two a compile error.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ClusterDto, NodeDto, PartitionDto } from '@vizportal/session-domain';
import type { ClusterInfo, NodeInfo, PartitionInfo } from '@vizportal/slurm-client';

export class PartitionResponse implements PartitionDto {
  @ApiProperty({ example: 'viz' }) name!: string;
  @ApiProperty() isDefault!: boolean;
  @ApiProperty({ example: 'up', description: 'up, down, drain or inactive' }) state!: string;
  @ApiProperty({ example: ['viz01', 'viz02'] }) nodes!: string[];
  @ApiPropertyOptional({ type: Number, nullable: true, example: 480, description: 'null: unlimited' })
  maxTimeMinutes!: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, example: 60 }) defaultTimeMinutes!: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, example: 8, description: 'CPUs of the largest node' })
  maxCpusPerNode!: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, example: 4096 }) maxMemoryPerNodeMb!: number | null;
  @ApiProperty({ example: { gpu: '2' }, description: 'Generic resources (GPUs) in the partition' })
  gres!: Record<string, string>;
}

export class NodeResponse implements NodeDto {
  @ApiProperty({ example: 'viz01' }) name!: string;
  @ApiProperty({
    example: 'idle',
    description: "Slurm's base state, lower case: idle, mixed, allocated, down, …",
  })
  state!: string;
  @ApiProperty({ example: [], description: 'State flags such as drain or not_responding' }) flags!: string[];
  @ApiProperty({ description: 'Can take new jobs now' }) usable!: boolean;
  @ApiProperty({ example: 4 }) cpus!: number;
  @ApiProperty({ example: 1 }) allocatedCpus!: number;
  @ApiProperty({ example: 4096 }) memoryMb!: number;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'gpu:2' }) gres!: string | null;
  @ApiProperty({ example: ['viz'] }) partitions!: string[];
  @ApiPropertyOptional({ type: String, nullable: true }) reason!: string | null;
}

export class ClusterResponse implements ClusterDto {
  @ApiProperty({ type: [PartitionResponse] }) partitions!: PartitionResponse[];
  @ApiProperty({ type: [NodeResponse] }) nodes!: NodeResponse[];
}

export function toClusterResponse(info: ClusterInfo): ClusterResponse {
  return {
    partitions: info.partitions.filter((p) => !p.hidden).map(toPartition),
    nodes: info.nodes.map(toNode),
  };
}

function toPartition(partition: PartitionInfo): PartitionResponse {
  return {
    name: partition.name,
    isDefault: partition.isDefault,
    state: partition.state.toLowerCase(),
    nodes: partition.nodes,
    maxTimeMinutes: partition.maxTimeMinutes,
    defaultTimeMinutes: partition.defaultTimeMinutes,
    maxCpusPerNode: partition.maxCpusPerNode,
    maxMemoryPerNodeMb: partition.maxMemoryPerNodeMb,
    gres: partition.gres,
  };
}

function toNode(node: NodeInfo): NodeResponse {
  return {
    name: node.name,
    state: node.state.base.toLowerCase(),
    flags: node.state.flags.map((flag) => flag.toLowerCase()),
    usable: node.state.usable,
    cpus: node.cpus.total ?? 0,
    allocatedCpus: node.cpus.allocated ?? 0,
    memoryMb: node.memoryMb.total ?? 0,
    gres: node.gres,
    partitions: node.partitions,
    reason: node.reason,
  };
}
