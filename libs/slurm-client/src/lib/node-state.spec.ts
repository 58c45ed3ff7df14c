// Node states as sinfo prints them (recorded), plus a few short state strings.
import { recorded } from './__fixtures__/recorded-commands';
import { parseNodeState } from './node-state';

describe('parseNodeState', () => {
  it('reads the StateComplete values the cluster printed', () => {
    const states = ['sinfo-nodes', 'sinfo-nodes-drained'].flatMap((name) =>
      recorded(name)
        .stdout.split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split('\x1f')[4]),
    );
    expect(states).toContain('allocated+drain');
    for (const raw of states) {
      const state = parseNodeState(raw);
      expect(state.base).not.toBe('UNKNOWN');
      expect(state.raw).toBe(raw);
    }
    expect(parseNodeState('allocated+drain')).toMatchObject({
      base: 'ALLOCATED',
      flags: ['DRAIN'],
      availability: 'draining',
      usable: false,
    });
  });

  it.each([
    ['idle', 'IDLE', [], 'idle', true],
    ['mixed', 'MIXED', [], 'mixed', true],
    ['idle+drain', 'IDLE', ['DRAIN'], 'drained', false],
    ['down+not_responding', 'DOWN', ['NOT_RESPONDING'], 'down', false],
    ['idle+not_responding', 'IDLE', ['NOT_RESPONDING'], 'not-responding', false],
    ['idle+powered_down', 'IDLE', ['POWERED_DOWN'], 'powered-down', false],
    ['down*', 'DOWN', ['NOT_RESPONDING'], 'down', false],
    ['drained', 'IDLE', ['DRAIN'], 'drained', false],
    ['draining', 'ALLOCATED', ['DRAIN'], 'draining', false],
    ['future', 'FUTURE', [], 'unknown', false],
  ])('reads %s', (raw, base, flags, availability, usable) => {
    expect(parseNodeState(raw)).toEqual({ base, flags, raw, availability, usable });
  });

  it('keeps unknown words as flags', () => {
    expect(parseNodeState('idle+sparkly')).toMatchObject({ base: 'IDLE', flags: ['SPARKLY'] });
    expect(parseNodeState('nonsense')).toMatchObject({
      base: 'UNKNOWN',
      usable: false,
      availability: 'unknown',
    });
  });
});
