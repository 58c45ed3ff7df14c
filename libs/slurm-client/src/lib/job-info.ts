// Builds a JobInfo from the texts squeue or scontrol printed for one job. Both tools give the
// same facts under different names; the meaning of Slurm's time fields depends on the state
// (StartTime is an estimate while pending, EndTime a projection while running), decided here once.
import { isJobEnded, parseJobState } from './job-state';
import { expandHostlist } from './hostlist';
import type { JobInfo } from './slurm-client';
import {
  type ExitStatus,
  optionalText,
  parseMemoryMb,
  parseSlurmDuration,
  parseSlurmMinutes,
  parseSlurmTime,
  parseTres,
} from './slurm-fields';

export interface JobFieldTexts {
  jobId: string;
  name: string;
  user: string | null;
  partition: string;
  state: string;
  reason: string;
  nodeList: string;
  batchHost: string;
  nodeCount: string;
  cpus: string;
  tres: string;
  submitTime: string;
  startTime: string;
  endTime: string;
  timeLimit: string;
  timeUsed: string;
  account: string;
  qos: string;
  comment: string;
  workDir: string;
  stdoutPath: string;
}

export function buildJobInfo(texts: JobFieldTexts, exitStatus: ExitStatus | null): JobInfo {
  const state = parseJobState(texts.state);
  const ended = isJobEnded(state);
  const pending = state.base === 'PENDING';
  const start = parseSlurmTime(texts.startTime);
  const end = parseSlurmTime(texts.endTime);
  const tres = parseTres(texts.tres);
  const leadingCount = /^\s*(\d+)/.exec(texts.nodeCount);
  const cpus = /^\s*(\d+)/.exec(texts.cpus);
  return {
    jobId: texts.jobId.trim(),
    name: texts.name,
    user: texts.user,
    partition: optionalText(texts.partition),
    state,
    reason: optionalText(texts.reason),
    nodes: pending ? [] : expandHostlist(optionalText(texts.nodeList)),
    batchHost: optionalText(texts.batchHost),
    nodeCount: leadingCount ? Number(leadingCount[1]) : null,
    cpus: cpus ? Number(cpus[1]) : null,
    memoryMb: parseMemoryMb(tres['mem']),
    tres,
    submitTime: parseSlurmTime(texts.submitTime),
    startTime: pending ? null : start,
    expectedStartTime: pending ? start : null,
    endTime: ended ? end : null,
    expectedEndTime: !ended && !pending ? end : null,
    timeLimitMinutes: parseSlurmMinutes(texts.timeLimit),
    timeUsedSeconds: parseSlurmDuration(texts.timeUsed),
    exitStatus: ended ? exitStatus : null,
    account: optionalText(texts.account),
    qos: optionalText(texts.qos),
    comment: optionalText(texts.comment),
    workDir: optionalText(texts.workDir),
    stdoutPath: optionalText(texts.stdoutPath),
  };
}
