import fc from 'fast-check';
import { parseAppManifest } from './catalog';
import type { ClusterPartition } from './resolve-form';
import { resolveForm } from './resolve-form';
import { validateChoices, type FieldError } from './validate-choices';

const app = parseAppManifest(
  JSON.stringify({
    id: 'table-app',
    title: 'Table app',
    icon: 'science',
    category: 'Tests',
    form: [
      {
        id: 'partition',
        type: 'select',
        label: 'Partition',
        options: { fromCluster: 'partitions' },
        default: 'viz',
      },
      { id: 'cpus', type: 'number', label: 'CPUs', default: 1, min: 1, max: 8, step: 1 },
      { id: 'memory', type: 'number', label: 'Memory (GB)', default: 1, min: 0.5, max: 16, step: 0.5 },
      { id: 'hours', type: 'number', label: 'Time limit (hours)', default: 1, min: 0.5, max: 8, step: 0.5 },
      { id: 'gpus', type: 'number', label: 'GPUs', default: 0, min: 0, max: 2, step: 1 },
      {
        id: 'geometry',
        type: 'select',
        label: 'Screen size',
        default: '1280x800',
        options: [{ value: '1280x800' }, { value: '1920x1080' }],
      },
      {
        id: 'title',
        type: 'text',
        label: 'Title',
        help: 'letters and spaces',
        default: 'Hello',
        maxLength: 10,
        pattern: '[A-Za-z ]*',
      },
      { id: 'note', type: 'text', label: 'Note', default: '', maxLength: 5 },
      { id: 'account', type: 'text', label: 'Account', default: 'proj1', maxLength: 64 },
      { id: 'fullscreen', type: 'boolean', label: 'Full screen', default: false },
    ],
    slurm: {
      partition: { field: 'partition' },
      cpus: { field: 'cpus' },
      memoryGb: { field: 'memory' },
      timeHours: { field: 'hours' },
      gpus: { field: 'gpus' },
      account: { field: 'account' },
    },
    desktop: { windowManager: 'openbox', geometry: { field: 'geometry' } },
    command: ['xterm', '-T', { field: 'title' }],
  }),
  'table-app.json',
);

const partitions: ClusterPartition[] = [
  { name: 'viz', isDefault: true, maxTimeMinutes: 480, maxCpusPerNode: 4, maxMemoryMbPerNode: 4096 },
  { name: 'debug', maxTimeMinutes: 30 },
];
const context = { partitions };

const DEFAULTS = {
  partition: 'viz',
  cpus: 1,
  memory: 1,
  hours: 1,
  gpus: 0,
  geometry: '1280x800',
  title: 'Hello',
  note: '',
  account: 'proj1',
  fullscreen: false,
};

describe('validateChoices', () => {
  it('fills every missing field with its default', () => {
    expect(validateChoices(app, {}, context)).toEqual({ ok: true, choices: DEFAULTS });
  });

  it('treats null as missing', () => {
    expect(validateChoices(app, { cpus: null, title: null }, context)).toEqual({
      ok: true,
      choices: DEFAULTS,
    });
  });

  it('keeps valid values', () => {
    const values = {
      partition: 'debug',
      cpus: 2,
      memory: 2.5,
      hours: 0.5,
      gpus: 1,
      geometry: '1920x1080',
      title: 'My desk',
      note: 'a;b',
      account: 'proj.x',
      fullscreen: true,
    };
    expect(validateChoices(app, values, context)).toEqual({ ok: true, choices: values });
  });

  // values → the one field error expected
  const refused: [string, Record<string, unknown>, FieldError][] = [
    ['cpus above max', { cpus: 9 }, { field: 'cpus', message: 'CPUs must be at most 8' }],
    ['cpus below min', { cpus: 0 }, { field: 'cpus', message: 'CPUs must be at least 1' }],
    ['cpus off the step', { cpus: 1.5 }, { field: 'cpus', message: 'CPUs must be a whole number' }],
    ['cpus as a string', { cpus: '2' }, { field: 'cpus', message: 'CPUs must be a number' }],
    ['cpus NaN', { cpus: Number.NaN }, { field: 'cpus', message: 'CPUs must be a number' }],
    [
      'cpus Infinity',
      { cpus: Number.POSITIVE_INFINITY },
      { field: 'cpus', message: 'CPUs must be a number' },
    ],
    ['cpus as an object', { cpus: { $gt: 1 } }, { field: 'cpus', message: 'CPUs must be a number' }],
    [
      'memory off the half-GB step',
      { memory: 0.75 },
      { field: 'memory', message: 'Memory (GB) must be in steps of 0.5 from 0.5' },
    ],
    [
      'hours off the step',
      { hours: 1.25 },
      { field: 'hours', message: 'Time limit (hours) must be in steps of 0.5 from 0.5' },
    ],
    [
      'partition not offered by the cluster',
      { partition: 'gpu' },
      { field: 'partition', message: 'Partition must be one of: viz, debug' },
    ],
    [
      'partition as a number',
      { partition: 1 },
      { field: 'partition', message: 'Partition must be one of: viz, debug' },
    ],
    [
      'geometry not an option',
      { geometry: '800x600' },
      { field: 'geometry', message: 'Screen size must be one of: 1280x800, 1920x1080' },
    ],
    [
      'text longer than maxLength',
      { title: 'abcdefghijk' },
      { field: 'title', message: 'Title must be at most 10 characters' },
    ],
    [
      'text against its pattern',
      { title: 'a1' },
      { field: 'title', message: 'Title is not in the expected format (letters and spaces)' },
    ],
    // A text field is one line of text: no control character of any kind (C0, DEL, C1) gets through.
    // A carriage return used to pass here and be refused by sbatch ("DOS line breaks") with a 422.
    [
      'text with NUL',
      { note: 'a\0b' },
      { field: 'note', message: 'Note must not contain control characters' },
    ],
    [
      'text with a carriage return',
      { note: 'a\rb' },
      { field: 'note', message: 'Note must not contain control characters' },
    ],
    [
      'text with CR LF',
      { note: 'a\r\n' },
      { field: 'note', message: 'Note must not contain control characters' },
    ],
    [
      'text with a newline',
      { note: 'a\nb' },
      { field: 'note', message: 'Note must not contain control characters' },
    ],
    [
      'text with a tab',
      { note: 'a\tb' },
      { field: 'note', message: 'Note must not contain control characters' },
    ],
    [
      'text with an escape (terminal sequences)',
      { note: '\x1b[2J' },
      { field: 'note', message: 'Note must not contain control characters' },
    ],
    [
      'text with DEL',
      { note: 'a\x7f' },
      { field: 'note', message: 'Note must not contain control characters' },
    ],
    [
      'text with a C1 control (NEL)',
      { note: 'a\u0085' },
      { field: 'note', message: 'Note must not contain control characters' },
    ],
    // Checked before the pattern, so the sentence says what is wrong rather than "not in the expected format".
    [
      'text with a control character and a pattern',
      { title: 'a\rb' },
      { field: 'title', message: 'Title must not contain control characters' },
    ],
    [
      'text with a lone surrogate',
      { note: 'a\uD800' },
      { field: 'note', message: 'Note contains characters that are not valid text' },
    ],
    ['text as a number', { note: 5 }, { field: 'note', message: 'Note must be text' }],
    ['text as an array', { note: ['a'] }, { field: 'note', message: 'Note must be text' }],
    [
      'boolean as a string',
      { fullscreen: 'true' },
      { field: 'fullscreen', message: 'Full screen must be true or false' },
    ],
    ['unknown field', { bogus: 1 }, { field: 'bogus', message: 'Unknown field "bogus"' }],
    [
      'prototype key',
      JSON.parse('{"__proto__": {"cpus": 99}}'),
      { field: '__proto__', message: 'Unknown field "__proto__"' },
    ],
    // Checks against the chosen partition's limits land on the field a person can change.
    [
      'time over the partition limit',
      { partition: 'debug', hours: 1 },
      { field: 'hours', message: 'Time limit (hours) must be at most 30 min on partition debug' },
    ],
    [
      'cpus over the partition nodes',
      { cpus: 6 },
      { field: 'cpus', message: 'CPUs must be at most 4 on partition viz' },
    ],
    [
      'memory over the partition nodes',
      { memory: 8 },
      { field: 'memory', message: 'Memory (GB) must be at most 4 GB on partition viz' },
    ],
    [
      'account not a Slurm name',
      { account: 'my account' },
      { field: 'account', message: 'Account must be a Slurm name: letters, digits and _ . + - (at most 64)' },
    ],
  ];

  it.each(refused)('refuses %s', (_name, values, error) => {
    expect(validateChoices(app, values, context)).toEqual({ ok: false, errors: [error] });
  });

  it('keeps characters that look odd but are not control characters (format characters, separators, emoji)', () => {
    for (const note of ['\u202ea', '\u200b', '\u2028', '\u00a0x', '😀é']) {
      expect(validateChoices(app, { note }, context)).toEqual({ ok: true, choices: { ...DEFAULTS, note } });
    }
  });

  describe('control characters in text (property)', () => {
    // Every C0 control, DEL and every C1 control: Unicode's general category Cc.
    const control = fc
      .oneof(fc.integer({ min: 0x00, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f }))
      .map((code) => String.fromCodePoint(code));
    const printable = fc.string({ unit: 'grapheme', maxLength: 60 }).filter((text) => !/\p{Cc}/u.test(text));

    it('refuses any text holding one, wherever it sits, naming the field', () => {
      fc.assert(
        fc.property(printable, control, fc.nat(), (text, char, at) => {
          const chars = [...text];
          const cut = at % (chars.length + 1);
          const account = [...chars.slice(0, cut), char, ...chars.slice(cut)].join('');
          expect(validateChoices(app, { account }, context)).toEqual({
            ok: false,
            errors: [{ field: 'account', message: 'Account must not contain control characters' }],
          });
        }),
        { numRuns: 500 },
      );
    });

    it("lets any other text through to the field's own rules", () => {
      const wide = parseAppManifest(
        JSON.stringify({
          id: 'wide',
          title: 'Wide',
          icon: 'science',
          category: 'Tests',
          form: [{ id: 'note', type: 'text', label: 'Note', default: '', maxLength: 100 }],
          slurm: { partition: 'viz', cpus: 1, memoryGb: 1, timeHours: 1 },
          desktop: { windowManager: 'none', geometry: '1024x768' },
          command: ['xterm', { field: 'note' }],
        }),
        'wide.json',
      );
      fc.assert(
        fc.property(
          printable.filter((note) => [...note].length <= 100),
          (note) => {
            expect(validateChoices(wide, { note }, context)).toEqual({ ok: true, choices: { note } });
          },
        ),
        { numRuns: 500 },
      );
    });
  });

  it('reports every bad field at once', () => {
    const result = validateChoices(app, { cpus: 0, memory: 'lots', extra: true }, context);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((error) => error.field).sort()).toEqual([
      'cpus',
      'extra',
      'memory',
    ]);
  });

  it.each([[null], [[]], ['cpus=4'], [42]])('refuses %p as the whole request', (values) => {
    expect(validateChoices(app, values, context)).toEqual({
      ok: false,
      errors: [{ field: '', message: 'The form values must be an object of field values' }],
    });
  });

  it("falls back to the cluster's default partition when the manifest's default is not there", () => {
    const result = validateChoices(
      app,
      {},
      { partitions: [{ name: 'main', isDefault: true }, { name: 'other' }] },
    );
    expect(result.ok && result.choices['partition']).toBe('main');
  });

  it('refuses a cluster partition when the cluster offers none (scheduler unreachable)', () => {
    expect(validateChoices(app, {}, { partitions: [] })).toEqual({
      ok: false,
      errors: [{ field: 'partition', message: 'Partition has no options available right now' }],
    });
  });

  it('accepts a partition without a time limit for any time the form allows', () => {
    const result = validateChoices(
      app,
      { partition: 'long', hours: 8 },
      { partitions: [{ name: 'long', maxTimeMinutes: null }] },
    );
    expect(result.ok).toBe(true);
  });

  describe('with fixed Slurm settings', () => {
    const fixed = parseAppManifest(
      JSON.stringify({
        id: 'fixed',
        title: 'Fixed',
        icon: 'science',
        category: 'Tests',
        slurm: { partition: 'debug', cpus: 1, memoryGb: 1, timeHours: 2 },
        desktop: { windowManager: 'none', geometry: '1024x768' },
        command: ['xterm'],
      }),
      'fixed.json',
    );

    it('names the fixed setting when the cluster cannot satisfy it', () => {
      expect(validateChoices(fixed, {}, context)).toEqual({
        ok: false,
        errors: [
          {
            field: 'slurm.partition',
            message: 'Partition debug allows at most 30 min of time; this app needs more',
          },
        ],
      });
      expect(validateChoices(fixed, {}, { partitions: [{ name: 'viz' }] })).toEqual({
        ok: false,
        errors: [{ field: 'slurm.partition', message: 'Partition "debug" is not available on this cluster' }],
      });
    });

    it('accepts an app without a form', () => {
      expect(validateChoices(fixed, {}, { partitions: [{ name: 'debug', maxTimeMinutes: 120 }] })).toEqual({
        ok: true,
        choices: {},
      });
    });
  });
});

describe('resolveForm', () => {
  it('fills partition options from the cluster and keeps fixed lists', () => {
    const fields = resolveForm(app, context);
    expect(fields[0]).toMatchObject({
      id: 'partition',
      options: [{ value: 'viz' }, { value: 'debug' }],
      default: 'viz',
    });
    expect(fields[5]).toMatchObject({
      id: 'geometry',
      options: [{ value: '1280x800' }, { value: '1920x1080' }],
    });
  });
});
