// Expanding Slurm's compressed host lists.
import { present, recorded } from './__fixtures__/recorded-commands';
import { expandHostlist } from './hostlist';

describe('expandHostlist', () => {
  it('expands the node list Slurm printed for the viz partition', () => {
    const nodes = present(/ Nodes=(\S+)/.exec(recorded('scontrol-partitions').stdout), 'Nodes=')[1];
    expect(nodes).toBe('viz[01-02]');
    expect(expandHostlist(nodes)).toEqual(['viz01', 'viz02']);
  });

  it.each([
    ['viz01', ['viz01']],
    ['a[1,3-4],b2', ['a1', 'a3', 'a4', 'b2']],
    ['r[1-2]n[01-02]', ['r1n01', 'r1n02', 'r2n01', 'r2n02']],
    ['gpu[008-010]', ['gpu008', 'gpu009', 'gpu010']],
    ['(null)', []],
    ['', []],
  ])('expands %s', (list, hosts) => {
    expect(expandHostlist(list)).toEqual(hosts);
  });

  it('refuses absurd ranges', () => {
    expect(() => expandHostlist('n[1-99999999]')).toThrow(RangeError);
  });
});
