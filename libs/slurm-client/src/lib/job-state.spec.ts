// Job state parsing: every base state, flag-only strings, unknown words, and all states the cluster printed.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { recorded } from './__fixtures__/recorded-commands';
import { isJobEnded, isJobEnding, isJobPending, JOB_BASE_STATES, parseJobState } from './job-state';
import { parseSqueueJobs } from './squeue-jobs';

describe('parseJobState', () => {
  it.each(JOB_BASE_STATES)('reads the base state %s with no flags', (name) => {
    expect(parseJobState(name)).toEqual({
      base: name,
      flags: [],
      raw: name,
      baseInferred: false,
      unknownWords: [],
    });
  });

  it('reads COMPLETING shown alone as a still-held job whose end is not final', () => {
    const state = parseJobState('COMPLETING');
    expect(state).toMatchObject({ base: 'RUNNING', flags: ['COMPLETING'], baseInferred: true });
    expect(isJobEnded(state)).toBe(false);
    expect(isJobEnding(state)).toBe(true);
  });

  it('reads CONFIGURING shown alone as RUNNING with the flag', () => {
    const state = parseJobState('CONFIGURING');
    expect(state).toMatchObject({ base: 'RUNNING', flags: ['CONFIGURING'], baseInferred: true });
    expect(isJobEnded(state)).toBe(false);
  });

  it.each([
    ['REQUEUED', 'PENDING'],
    ['REQUEUE_HOLD', 'PENDING'],
    ['SPECIAL_EXIT', 'PENDING'],
    ['RESV_DEL_HOLD', 'PENDING'],
    ['RESIZING', 'RUNNING'],
    ['STOPPED', 'RUNNING'],
    ['SIGNALING', 'RUNNING'],
    ['STAGE_OUT', 'RUNNING'],
  ])('infers the base hidden behind %s', (raw, base) => {
    expect(parseJobState(raw)).toMatchObject({ base, flags: [raw], baseInferred: true });
  });

  it("reads sacct's 'CANCELLED by 0' as CANCELLED and keeps the text", () => {
    const state = parseJobState('CANCELLED by 0');
    expect(state).toMatchObject({ base: 'CANCELLED', flags: [], raw: 'CANCELLED by 0' });
    expect(isJobEnded(state)).toBe(true);
  });

  it('reads base and flags joined by + or , (newer releases)', () => {
    expect(parseJobState('RUNNING+COMPLETING')).toMatchObject({
      base: 'RUNNING',
      flags: ['COMPLETING'],
      baseInferred: false,
    });
    expect(parseJobState('PENDING,REQUEUED,REQUEUE_HOLD')).toMatchObject({
      base: 'PENDING',
      flags: ['REQUEUED', 'REQUEUE_HOLD'],
    });
    expect(isJobEnded(parseJobState('CANCELLED+COMPLETING'))).toBe(false);
  });

  it('reads compact codes', () => {
    expect(parseJobState('CG')).toMatchObject({ base: 'RUNNING', flags: ['COMPLETING'] });
    expect(parseJobState('PD').base).toBe('PENDING');
    expect(parseJobState('OOM').base).toBe('OUT_OF_MEMORY');
    expect(parseJobState('ST')).toMatchObject({ base: 'RUNNING', flags: ['STOPPED'] });
  });

  it('keeps unknown states instead of throwing or dropping them', () => {
    expect(parseJobState('WARPED')).toEqual({
      base: 'UNKNOWN',
      flags: [],
      raw: 'WARPED',
      baseInferred: false,
      unknownWords: ['WARPED'],
    });
    expect(parseJobState('RUNNING+WOBBLING')).toMatchObject({ base: 'RUNNING', unknownWords: ['WOBBLING'] });
    expect(parseJobState('')).toMatchObject({ base: 'UNKNOWN', raw: '' });
    expect(parseJobState('?').base).toBe('UNKNOWN');
    expect(isJobEnded(parseJobState('WARPED'))).toBe(false);
  });

  it('counts only final states as ended', () => {
    expect(isJobEnded(parseJobState('TIMEOUT'))).toBe(true);
    expect(isJobEnded(parseJobState('RUNNING'))).toBe(false);
    expect(isJobEnded(parseJobState('SUSPENDED'))).toBe(false);
    expect(isJobPending(parseJobState('PENDING'))).toBe(true);
  });

  it('knows every state the real cluster printed in the recordings', () => {
    const dir = join(__dirname, '__fixtures__');
    const names = readdirSync(dir)
      .filter((f) => /^squeue-.*\.stdout$/.test(f))
      .map((f) => f.replace(/\.stdout$/, ''));
    const states = new Set<string>();
    for (const name of names) {
      const command = recorded(name);
      if (command.exitCode !== 0) continue;
      for (const job of parseSqueueJobs(command.stdout)) {
        states.add(job.state.raw);
        expect(job.state.base).not.toBe('UNKNOWN');
        expect(job.state.unknownWords).toEqual([]);
      }
    }
    expect([...states].sort()).toEqual([
      'CANCELLED',
      'COMPLETED',
      'COMPLETING',
      'FAILED',
      'PENDING',
      'RUNNING',
      'TIMEOUT',
    ]);
  });
});
