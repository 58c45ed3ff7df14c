// sinfo -N node lines from recordings: merged per node, states, NodeAddr.
import { present, recorded } from './__fixtures__/recorded-commands';
import { parseSinfoNodes, sinfoNodesArgs } from './sinfo-nodes';

describe('sinfo nodes', () => {
  it('runs the recorded command', () => {
    expect(['sinfo', ...sinfoNodesArgs()]).toEqual(recorded('sinfo-nodes').argv);
  });

  it('merges the per-partition lines into one node each, with NodeAddr', () => {
    const nodes = parseSinfoNodes(recorded('sinfo-nodes').stdout);
    expect(nodes.map((n) => n.name)).toEqual(['viz01', 'viz02']);
    const viz02 = nodes[1];
    expect(viz02).toMatchObject({
      address: '127.0.0.1',
      hostname: expect.any(String),
      partitions: ['viz', 'debug'],
      cpus: { total: 4 },
      memoryMb: { total: 4096 },
      gres: null,
      reason: null,
    });
    expect(nodes[0].partitions).toEqual(['viz']);
    for (const node of nodes) {
      const { allocated, idle, other } = node.cpus;
      expect(present(allocated) + present(idle) + present(other)).toBe(node.cpus.total);
      expect(['idle', 'mixed', 'allocated']).toContain(node.state.availability);
      expect(node.state.usable).toBe(true);
    }
  });

  it('reads a drained node and the reason the admin gave', () => {
    const viz02 = present(
      parseSinfoNodes(recorded('sinfo-nodes-drained').stdout).find((n) => n.name === 'viz02'),
      'viz02',
    );
    expect(viz02.state.flags).toContain('DRAIN');
    expect(viz02.state.usable).toBe(false);
    expect(['draining', 'drained']).toContain(viz02.state.availability);
    expect(viz02.reason).toBe('record-fixtures drain');
  });
});
