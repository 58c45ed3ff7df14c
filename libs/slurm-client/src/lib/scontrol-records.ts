// Reads `scontrol show <entity> -o` output: one record per line of space-separated Key=Value
// pairs. Values may contain spaces (OS=Linux 6.1 #1 SMP, Reason=Not responding), so a word
// that does not start a new Key= continues the previous value.
import { buildJobInfo } from './job-info';
import { expandHostlist } from './hostlist';
import type { JobInfo, PartitionInfo } from './slurm-client';
import {
  gresOf,
  optionalText,
  parseCount,
  parseExitCodePair,
  parseMemoryMb,
  parseSlurmMinutes,
  parseTres,
  userNameOf,
} from './slurm-fields';

const KEY_START = /^([A-Za-z][A-Za-z0-9_:/]*)=(.*)$/s;

export function parseKeyValueLine(line: string): Map<string, string> {
  const fields = new Map<string, string>();
  let lastKey: string | null = null;
  for (const word of line.trim().split(/\s+/)) {
    if (word === '') continue;
    const m = KEY_START.exec(word);
    if (m) {
      lastKey = m[1];
      fields.set(lastKey, m[2]);
    } else if (lastKey !== null) {
      fields.set(lastKey, `${fields.get(lastKey)} ${word}`);
    } else {
      throw new Error(`line does not start with Key=Value: ${JSON.stringify(line.slice(0, 80))}`);
    }
  }
  return fields;
}

export function parseKeyValueRecords(stdout: string): Map<string, string>[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(parseKeyValueLine);
}

function text(fields: Map<string, string>, key: string): string {
  return fields.get(key) ?? '';
}

/** `scontrol show job -o ID` -> JobInfo. */
export function jobFromScontrol(fields: Map<string, string>): JobInfo {
  const jobId = fields.get('JobId');
  if (jobId === undefined || !/^\d+/.test(jobId)) {
    throw new Error('record has no JobId');
  }
  return buildJobInfo(
    {
      jobId,
      name: text(fields, 'JobName'),
      user: userNameOf(fields.get('UserId')),
      partition: text(fields, 'Partition'),
      state: text(fields, 'JobState'),
      reason: text(fields, 'Reason'),
      nodeList: text(fields, 'NodeList'),
      batchHost: text(fields, 'BatchHost'),
      nodeCount: text(fields, 'NumNodes'),
      cpus: text(fields, 'NumCPUs'),
      tres: text(fields, 'TRES'),
      submitTime: text(fields, 'SubmitTime'),
      startTime: text(fields, 'StartTime'),
      endTime: text(fields, 'EndTime'),
      timeLimit: text(fields, 'TimeLimit'),
      timeUsed: text(fields, 'RunTime'),
      account: text(fields, 'Account'),
      qos: text(fields, 'QOS'),
      comment: text(fields, 'Comment'),
      workDir: text(fields, 'WorkDir'),
      stdoutPath: text(fields, 'StdOut'),
    },
    parseExitCodePair(fields.get('ExitCode')),
  );
}

/** `scontrol show partition -o` record -> PartitionInfo. */
export function partitionFromScontrol(fields: Map<string, string>): PartitionInfo {
  const name = fields.get('PartitionName');
  if (name === undefined || name === '') {
    throw new Error('record has no PartitionName');
  }
  const tres = parseTres(fields.get('TRES'));
  return {
    name,
    isDefault: fields.get('Default') === 'YES',
    state: text(fields, 'State'),
    maxTimeMinutes: parseSlurmMinutes(fields.get('MaxTime')),
    defaultTimeMinutes: parseSlurmMinutes(fields.get('DefaultTime')),
    nodes: expandHostlist(optionalText(fields.get('Nodes'))),
    totalNodes: parseCount(fields.get('TotalNodes')),
    totalCpus: parseCount(fields.get('TotalCPUs')),
    maxNodesPerJob: parseCount(fields.get('MaxNodes')),
    maxCpusPerNode: parseCount(fields.get('MaxCPUsPerNode')),
    // Slurm prints either the per-node or the per-CPU form of each memory limit.
    maxMemoryPerNodeMb: parseMemoryMb(fields.get('MaxMemPerNode')),
    maxMemoryPerCpuMb: parseMemoryMb(fields.get('MaxMemPerCPU')),
    defaultMemoryPerNodeMb: parseMemoryMb(fields.get('DefMemPerNode')),
    defaultMemoryPerCpuMb: parseMemoryMb(fields.get('DefMemPerCPU')),
    hidden: fields.get('Hidden') === 'YES',
    tres,
    gres: gresOf(tres),
  };
}
