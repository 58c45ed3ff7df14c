import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { Catalog, CatalogError, loadCatalog, parseAppManifest } from './catalog';
import { resolveJobResources } from './job-resources';
import { validateChoices } from './validate-choices';

/** The catalog the repo ships (catalog/ at the workspace root). */
const SHIPPED_CATALOG = resolve(__dirname, '../../../../catalog');

/** A small valid manifest; tests break one thing at a time. */
function validManifest(): Record<string, unknown> {
  return {
    id: 'test-app',
    title: 'Test app',
    icon: 'terminal',
    category: 'Tools',
    form: [
      {
        id: 'partition',
        type: 'select',
        label: 'Partition',
        options: { fromCluster: 'partitions' },
        default: 'viz',
      },
      { id: 'cpus', type: 'number', label: 'CPUs', default: 1, min: 1, max: 4, step: 1 },
      { id: 'title', type: 'text', label: 'Title', default: 'x', maxLength: 20 },
    ],
    slurm: { partition: { field: 'partition' }, cpus: { field: 'cpus' }, memoryGb: 1, timeHours: 1 },
    desktop: { windowManager: 'openbox', geometry: '1280x800' },
    command: ['xterm', '-T', { field: 'title' }],
  };
}

function errorOf(run: () => unknown): CatalogError {
  try {
    run();
  } catch (error) {
    if (error instanceof CatalogError) return error;
    throw error;
  }
  throw new Error('expected a CatalogError');
}

describe('the shipped catalog', () => {
  it('loads every manifest in catalog/', () => {
    const catalog = loadCatalog(SHIPPED_CATALOG);
    expect(catalog.apps.map((app) => app.id).sort()).toEqual([
      'desktop',
      'gedit',
      'gedit-container',
      'xterm',
    ]);
  });

  it.each(['desktop', 'xterm', 'gedit', 'gedit-container'])(
    '%s asks for 1 CPU, 1 GB and 1 h on viz by default',
    (id) => {
      const app = loadCatalog(SHIPPED_CATALOG).get(id);
      if (!app) throw new Error(`no ${id}`);
      const result = validateChoices(app, {}, { partitions: [{ name: 'debug' }, { name: 'viz' }] });
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      expect(resolveJobResources(app, result.choices)).toEqual({
        partition: 'viz',
        cpus: 1,
        memoryMb: 1024,
        timeMinutes: 60,
        gpus: 0,
      });
    },
  );

  it('names the image and the bind mount of the container app', () => {
    const app = loadCatalog(SHIPPED_CATALOG).get('gedit-container');
    expect(app?.container).toEqual({
      image: '/opt/apptainers/apps/gedit/gedit.sif',
      binds: [{ source: '/tmp/.X11-unix', readOnly: true }],
    });
  });
});

describe('parseAppManifest', () => {
  it('accepts the valid manifest and fills defaults', () => {
    const app = parseAppManifest(stringify(validManifest()), 'ok.yaml');
    expect(app.description).toBe('');
    expect(app.form[2]).toMatchObject({ type: 'text', maxLength: 20 });
  });

  it('reads JSON manifests', () => {
    expect(parseAppManifest(JSON.stringify(validManifest()), 'ok.json').id).toBe('test-app');
  });

  // Each case: a change to the valid manifest, the field path the error must name, and a word of the message.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- drafts of broken manifests are edited freely
  const broken: [string, string, (m: Record<string, any>) => void, RegExp][] = [
    ['id not a slug', 'id', (m) => (m.id = 'Bad Id'), /slug/],
    ['missing title', 'title', (m) => delete m.title, /expected string/],
    ['title with a newline', 'title', (m) => (m.title = 'a\nb'), /control characters/],
    ['unknown top-level key', 'extra', (m) => (m.extra = 1), /not a known property/],
    [
      'unknown field type',
      'form[1].type',
      (m) => (m.form[1].type = 'slider'),
      /number, select, text, boolean/,
    ],
    ['unknown key in a field', 'form[1].colour', (m) => (m.form[1].colour = 'red'), /not a known property/],
    ['min above max', 'form[1].min', (m) => (m.form[1].min = 8), /max/],
    ['default off the step grid', 'form[1].default', (m) => (m.form[1].default = 1.5), /steps of 1/],
    ['default over max', 'form[1].default', (m) => (m.form[1].default = 9), /within 1..4/],
    ['duplicate field id', 'form[2].id', (m) => (m.form[2].id = 'cpus'), /duplicate field id/],
    ['field id not a slug', 'form[2].id', (m) => (m.form[2].id = 'Title'), /lower-case/],
    ['text default too long', 'form[2].default', (m) => (m.form[2].default = 'x'.repeat(21)), /maxLength/],
    // The default goes through the same validation as a typed value, which refuses control characters.
    [
      'text default with a carriage return',
      'form[2].default',
      (m) => (m.form[2].default = 'a\rb'),
      /control characters/,
    ],
    ['text pattern not a regex', 'form[2].pattern', (m) => (m.form[2].pattern = '(['), /regular expression/],
    [
      'text default not matching its pattern',
      'form[2].default',
      (m) => (m.form[2].pattern = '[0-9]+'),
      /pattern/,
    ],
    [
      'select default not an option',
      'form[3].default',
      (m) => m.form.push({ id: 'g', type: 'select', label: 'G', options: [{ value: 'a' }], default: 'b' }),
      /one of the options/,
    ],
    ['fixed cpus not a whole number', 'slurm.cpus', (m) => (m.slurm.cpus = 1.5), /int/],
    [
      'cpus bound to a missing field',
      'slurm.cpus.field',
      (m) => (m.slurm.cpus = { field: 'nope' }),
      /names no field/,
    ],
    [
      'cpus bound to a text field',
      'slurm.cpus.field',
      (m) => (m.slurm.cpus = { field: 'title' }),
      /number field/,
    ],
    [
      'partition name with a space',
      'slurm.partition',
      (m) => (m.slurm.partition = 'viz debug'),
      /Slurm name/,
    ],
    [
      'fromCluster on a field not bound to the partition',
      'form[0].options',
      (m) => (m.slurm.partition = 'viz'),
      /fromCluster/,
    ],
    ['geometry not WxH', 'desktop.geometry', (m) => (m.desktop.geometry = 'big'), /WIDTHxHEIGHT/],
    ['command as a shell string', 'command', (m) => (m.command = 'xterm -T hi'), /expected array/],
    [
      'command argv[0] from a field',
      'command[0]',
      (m) => (m.command = [{ field: 'title' }]),
      /literal command/,
    ],
    [
      'command word bound to a missing field',
      'command[1].field',
      (m) => (m.command = ['xterm', { field: 'nope' }]),
      /names no field/,
    ],
    [
      'relative image path',
      'container.image',
      (m) => (m.container = { image: 'gedit.sif' }),
      /absolute path/,
    ],
    [
      'bind with a colon',
      'container.binds[0].source',
      (m) => (m.container = { image: '/a.sif', binds: [{ source: '/a:b' }] }),
      /':'/,
    ],
    [
      'unknown memory key',
      'slurm.memory',
      (m) => ((m.slurm.memory = 1), delete m.slurm.memoryGb),
      /not a known property/,
    ],
  ];

  it.each(broken)('refuses %s, naming the file and %s', (_name, path, change, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'job-templates-broken-'));
    try {
      const manifest = validManifest();
      change(manifest);
      const file = join(dir, 'broken.yaml');
      writeFileSync(file, stringify(manifest));
      const error = errorOf(() => loadCatalog(dir));
      expect(error.file).toBe(file);
      expect(error.message.startsWith(`${file}: `)).toBe(true);
      const issue = error.issues.find((candidate) => candidate.path === path);
      expect({ path: issue?.path, issues: error.issues }).toMatchObject({ path });
      expect(issue?.message).toMatch(message);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses YAML that does not parse, naming the file', () => {
    const error = errorOf(() => parseAppManifest('id: [unclosed', 'bad.yaml'));
    expect(error.message).toMatch(/^bad\.yaml: is not valid YAML/);
  });

  it('refuses duplicate keys in YAML', () => {
    expect(() => parseAppManifest('id: a\nid: b\n', 'dup.yaml')).toThrow(CatalogError);
  });
});

describe('loadCatalog', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'job-templates-catalog-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads .yaml, .yml and .json and ignores other files', () => {
    writeFileSync(join(dir, 'a.yaml'), stringify({ ...validManifest(), id: 'a' }));
    writeFileSync(join(dir, 'b.yml'), stringify({ ...validManifest(), id: 'b' }));
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ ...validManifest(), id: 'c' }));
    writeFileSync(join(dir, 'README.md'), '# not a manifest');
    const catalog = loadCatalog(dir);
    expect(catalog).toBeInstanceOf(Catalog);
    expect(catalog.apps.map((app) => app.id)).toEqual(['a', 'b', 'c']);
    expect(catalog.get('b')?.id).toBe('b');
    expect(catalog.get('nope')).toBeUndefined();
  });

  it('refuses the whole catalog when one manifest is broken, naming that file and the field', () => {
    writeFileSync(join(dir, 'a.yaml'), stringify({ ...validManifest(), id: 'a' }));
    writeFileSync(
      join(dir, 'b.yaml'),
      stringify({ ...validManifest(), id: 'b', slurm: { ...(validManifest()['slurm'] as object), cpus: 0 } }),
    );
    const error = errorOf(() => loadCatalog(dir));
    expect(error.file).toBe(join(dir, 'b.yaml'));
    expect(error.issues.map((issue) => issue.path)).toEqual(['slurm.cpus']);
  });

  it('refuses duplicate ids, naming both files', () => {
    writeFileSync(join(dir, 'a.yaml'), stringify(validManifest()));
    writeFileSync(join(dir, 'b.yaml'), stringify(validManifest()));
    const error = errorOf(() => loadCatalog(dir));
    expect(error.file).toBe(join(dir, 'b.yaml'));
    expect(error.issues).toEqual([
      { path: 'id', message: `duplicate app id "test-app" (also in ${join(dir, 'a.yaml')})` },
    ]);
  });

  it('refuses a directory without manifests, and one that does not exist', () => {
    expect(() => loadCatalog(dir)).toThrow(/holds no app manifests/);
    expect(() => loadCatalog(join(dir, 'missing'))).toThrow(/cannot read the catalog directory/);
  });
});
