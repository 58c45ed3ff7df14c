/**
 * Property test: hostile form values either get a field error or reach the app exactly as typed.
 *
 * Each accepted value set is rendered, the VNC wrapper is cut off the script and replaced by a stub
 * that dumps the exported form values and runs the app function (whose command is printf), and the
 * whole script runs in bash in a temp dir. No value may run anything (the canary file must never
 * appear), and both the environment and the argv must round-trip byte for byte.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseAppManifest } from './catalog';
import { renderJobScript } from './render-job-script';
import { validateChoices } from './validate-choices';
import { VNC_WRAPPER_MARKER } from './vnc-wrapper';

const NOTE_MAX = 300;

/** Values that would run `touch CANARY` if anything were interpolated unquoted. */
const HOSTILE = [
  '$(touch CANARY)',
  '`touch CANARY`',
  '; touch CANARY',
  '&& touch CANARY',
  '| touch CANARY',
  "'; touch CANARY; '",
  '"; touch CANARY; "',
  "'$(touch CANARY)'",
  '\ntouch CANARY\n',
  "x'\ntouch CANARY\n'",
  '${IFS}touch${IFS}CANARY',
  '$(touch${IFS}CANARY)',
  '\\$(touch CANARY)',
  "\\'; touch CANARY #",
  '<(touch CANARY)',
  '>(touch CANARY)',
  '}; touch CANARY; {',
  'a\0b',
  '\r\ntouch CANARY',
];

const app = parseAppManifest(
  JSON.stringify({
    id: 'quoting',
    title: "Quoting's test",
    icon: 'science',
    category: 'Tests',
    form: [
      { id: 'partition', type: 'select', label: 'Partition', options: { fromCluster: 'partitions' } },
      { id: 'note', type: 'text', label: 'Note', default: '', maxLength: NOTE_MAX },
      // Manifest options are trusted, but still go through the same quoting.
      {
        id: 'choice',
        type: 'select',
        label: 'Choice',
        default: 'plain',
        options: [
          { value: 'plain' },
          { value: '$(touch CANARY)' },
          { value: "it's `touch CANARY`" },
          { value: '; touch CANARY' },
        ],
      },
    ],
    slurm: { partition: { field: 'partition' }, cpus: 1, memoryGb: 1, timeHours: 1 },
    desktop: { windowManager: 'none', geometry: '1024x768' },
    command: ['printf', '%s\\0', { field: 'note' }, { field: 'choice' }],
  }),
  'quoting.json',
);
const OPTIONS = ['plain', '$(touch CANARY)', "it's `touch CANARY`", '; touch CANARY'];
const partitions = [{ name: 'viz', isDefault: true }, { name: 'debug' }];

const STUB = [
  `printf '%s\\0' "$VIZPORTAL_FIELD_NOTE" "$VIZPORTAL_FIELD_CHOICE" "$VIZPORTAL_FIELD_PARTITION" > env.out`,
  '( vizportal_app ) > argv.out',
].join('\n');

/** Runs the rendered script, wrapper replaced by STUB, in `dir`. */
function runValueBearingPart(script: string, dir: string): void {
  const cut = script.indexOf(VNC_WRAPPER_MARKER);
  expect(cut).toBeGreaterThan(0);
  writeFileSync(join(dir, 'job.sh'), `${script.slice(0, cut)}${STUB}\n`);
  const run = spawnSync('bash', ['job.sh'], {
    cwd: dir,
    env: { PATH: process.env['PATH'] },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 10_000,
  });
  expect(run.stderr.toString()).toBe('');
  expect(run.status).toBe(0);
}

const nul = (...values: string[]) => Buffer.concat(values.map((value) => Buffer.from(`${value}\0`, 'utf8')));

/** Any control character: C0 (NUL, tab, CR, LF, ESC, …), DEL and C1. */
const CONTROL = /\p{Cc}/u;

/** The validator's answer, worked out independently: control characters, lone surrogates and overlong text are refused. */
function noteAcceptable(note: string): boolean {
  return !CONTROL.test(note) && !/[\uD800-\uDFFF]/u.test(note) && [...note].length <= NOTE_MAX;
}

describe('hostile form values', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'job-templates-quoting-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const pieces = fc.constantFrom(
    ...HOSTILE,
    "'",
    '"',
    '\\',
    '$',
    '`',
    ';',
    '\n',
    '\r',
    '\t',
    '\x1b',
    '\x7f',
    '\u0085',
    '\0',
    ' ',
    'é',
    '😀',
    '\u2028',
    '\u202e',
    '\uD800',
    'a',
  );
  const text = fc.oneof(
    fc.constantFrom(...HOSTILE),
    fc.array(pieces, { maxLength: 16 }).map((parts) => parts.join('')),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'grapheme-ascii', minLength: NOTE_MAX - 5, maxLength: NOTE_MAX + 5 }),
  );
  // Mostly valid, so that about half the runs get as far as bash.
  const choice = fc.oneof(
    { arbitrary: fc.constantFrom(...OPTIONS), weight: 4 },
    { arbitrary: text, weight: 1 },
  );
  const partition = fc.oneof(
    { arbitrary: fc.constantFrom('viz', 'debug'), weight: 4 },
    { arbitrary: text, weight: 1 },
  );

  it('are refused with a field error or reach the app exactly as typed (200 runs)', () => {
    let ranInBash = 0;
    fc.assert(
      fc.property(text, choice, partition, (note, chosen, part) => {
        const result = validateChoices(app, { note, choice: chosen, partition: part }, { partitions });
        const expectedBad = [
          ...(['viz', 'debug'].includes(part) ? [] : ['partition']),
          ...(noteAcceptable(note) ? [] : ['note']),
          ...(OPTIONS.includes(chosen) ? [] : ['choice']),
        ];
        if (!result.ok) {
          expect(result.errors.map((error) => error.field).sort()).toEqual(expectedBad.sort());
          return;
        }
        expect(expectedBad).toEqual([]);

        runValueBearingPart(
          renderJobScript(app, result.choices, {
            sessionId: 's1',
            stagingDir: join(dir, 'staging'),
            readinessUrl: 'http://127.0.0.1:1/ready',
          }).script,
          dir,
        );
        expect(existsSync(join(dir, 'CANARY'))).toBe(false);
        expect(readFileSync(join(dir, 'env.out')).equals(nul(note, chosen, part))).toBe(true);
        expect(readFileSync(join(dir, 'argv.out')).equals(nul(note, chosen))).toBe(true);
        ranInBash++;
      }),
      { numRuns: 200 },
    );
    // Not a vacuous pass: a good share of the random values were accepted and executed.
    expect(ranInBash).toBeGreaterThan(60);
  });

  // Those with control characters never get this far (next test); the rest must be inert in bash.
  it.each(HOSTILE.filter((value) => !CONTROL.test(value)))('runs nothing of %p', (note) => {
    const result = validateChoices(app, { note, choice: '$(touch CANARY)' }, { partitions });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    runValueBearingPart(
      renderJobScript(app, result.choices, {
        sessionId: 's1',
        stagingDir: join(dir, 'st'),
        readinessUrl: 'http://127.0.0.1:1/r',
      }).script,
      dir,
    );
    expect(existsSync(join(dir, 'CANARY'))).toBe(false);
    expect(readFileSync(join(dir, 'argv.out')).equals(nul(note, '$(touch CANARY)'))).toBe(true);
  });

  it.each(HOSTILE.filter((value) => CONTROL.test(value)))('refuses %p with a field error', (note) => {
    expect(validateChoices(app, { note }, { partitions })).toEqual({
      ok: false,
      errors: [{ field: 'note', message: 'Note must not contain control characters' }],
    });
  });
});
