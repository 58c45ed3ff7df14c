// Single field values: times, durations, memory, exit codes.
import { present, recorded } from './__fixtures__/recorded-commands';
import { parseKeyValueLine } from './scontrol-records';
import {
  parseExitCodePair,
  parseMemoryMb,
  parseSlurmDuration,
  parseSlurmMinutes,
  parseSlurmTime,
  parseTres,
  parseWaitStatus,
} from './slurm-fields';

describe('Slurm field values', () => {
  it('reads the epoch timestamps the client asks for (SLURM_TIME_FORMAT=%s)', () => {
    const fields = parseKeyValueLine(recorded('scontrol-job-running').stdout);
    expect(fields.get('SubmitTime')).toMatch(/^\d{10}$/);
    expect(present(parseSlurmTime(fields.get('SubmitTime'))).getTime()).toBe(
      Number(fields.get('SubmitTime')) * 1000,
    );
    expect(
      parseSlurmTime(parseKeyValueLine(recorded('scontrol-job-held').stdout).get('StartTime')),
    ).toBeNull();
  });

  it('reads ISO local times and the no-time words', () => {
    expect(parseSlurmTime('2026-11-28T02:30:40')).toEqual(new Date(2026, 10, 28, 2, 30, 40));
    for (const none of ['N/A', 'Unknown', 'None', '0', '', undefined])
      expect(parseSlurmTime(none)).toBeNull();
  });

  it('reads the duration forms Slurm prints', () => {
    const limits = parseKeyValueLine(recorded('scontrol-job-over-limit').stdout).get('TimeLimit');
    expect(limits).toBe('1-02:03:00');
    expect(parseSlurmMinutes(limits)).toBe(26 * 60 + 3);
    expect(parseSlurmDuration('5:00')).toBe(300);
    expect(parseSlurmDuration('1:00:00')).toBe(3600);
    expect(parseSlurmDuration('00:30:00')).toBe(1800);
    expect(parseSlurmDuration('2-00')).toBe(2 * 86400);
    expect(parseSlurmDuration('90')).toBe(90 * 60);
    expect(parseSlurmDuration('UNLIMITED')).toBeNull();
    expect(parseSlurmDuration('NOT_SET')).toBeNull();
    expect(parseSlurmDuration('INVALID')).toBeNull();
  });

  it('reads memory with units in MB', () => {
    expect(parseTres('cpu=4,mem=1G,node=1,billing=4')).toEqual({
      cpu: '4',
      mem: '1G',
      node: '1',
      billing: '4',
    });
    expect(parseMemoryMb('1G')).toBe(1024);
    expect(parseMemoryMb('256M')).toBe(256);
    expect(parseMemoryMb('4096')).toBe(4096);
    expect(parseMemoryMb('UNLIMITED')).toBeNull();
  });

  it('decodes exit codes: scontrol pairs and squeue raw wait status', () => {
    expect(parseExitCodePair('3:0')).toEqual({ code: 3, signal: 0 });
    expect(parseWaitStatus('768')).toEqual({ code: 3, signal: 0 });
    expect(parseWaitStatus('15')).toEqual({ code: 0, signal: 15 });
    expect(parseWaitStatus('0')).toEqual({ code: 0, signal: 0 });
    expect(parseWaitStatus('N/A')).toBeNull();
  });
});
