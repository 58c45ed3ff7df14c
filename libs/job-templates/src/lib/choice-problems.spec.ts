import { parseAppManifest } from './catalog';
import { choiceProblems } from './choice-problems';

const manifest = (maxCpus: number, extraField = true) =>
  parseAppManifest(
    JSON.stringify({
      id: 'paraview',
      title: 'ParaView',
      icon: 'science',
      category: 'Tests',
      form: [
        { id: 'partition', type: 'select', label: 'Partition', options: { fromCluster: 'partitions' } },
        { id: 'cpus', type: 'number', label: 'CPUs', default: 1, min: 1, max: maxCpus, step: 1 },
        ...(extraField ? [{ id: 'title', type: 'text', label: 'Title', default: 'x', maxLength: 10 }] : []),
      ],
      slurm: { partition: { field: 'partition' }, cpus: { field: 'cpus' }, memoryGb: 2, timeHours: 1 },
      desktop: { windowManager: 'openbox', geometry: '1280x800' },
      command: ['paraview'],
    }),
    'paraview.json',
  );

const cluster = { partitions: [{ name: 'viz', isDefault: true, maxCpusPerNode: 32 }] };

describe('choiceProblems', () => {
  it('finds nothing wrong with values that fit the form and the cluster', () => {
    expect(choiceProblems(manifest(16), { partition: 'viz', cpus: 16, title: 'big' }, cluster)).toEqual([]);
  });

  it("words a value the form no longer allows with the form's rule and the saved value", () => {
    expect(choiceProblems(manifest(16), { partition: 'viz', cpus: 64 }, cluster)).toEqual([
      'CPUs must be at most 16 (saved: 64).',
    ]);
  });

  it('names a saved field the form no longer has', () => {
    expect(choiceProblems(manifest(16, false), { cpus: 2, title: 'big' }, cluster)).toEqual([
      '"title" is no longer a field of this app (saved: "big").',
    ]);
  });

  it("reports a partition's limit once the values fit the form", () => {
    const small = { partitions: [{ name: 'viz', isDefault: true, maxCpusPerNode: 8 }] };
    expect(choiceProblems(manifest(16), { partition: 'viz', cpus: 12 }, small)).toEqual([
      'CPUs must be at most 8 on partition viz (saved: 12).',
    ]);
  });

  it('says what is wrong without a saved value when the default is what no longer fits', () => {
    expect(choiceProblems(manifest(16), { cpus: 2 }, { partitions: [] })).toEqual([
      'Partition has no options available right now.',
    ]);
  });

  it('shortens a long saved text', () => {
    const [problem] = choiceProblems(manifest(16), { partition: 'viz', title: 'y'.repeat(100) }, cluster);
    expect(problem).toBe(`Title must be at most 10 characters (saved: "${'y'.repeat(38)}…).`);
  });
});
