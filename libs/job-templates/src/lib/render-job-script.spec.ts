import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { loadCatalog, parseAppManifest } from './catalog';
import { formatSlurmTime, renderJobScript, RenderError, type RenderContext } from './render-job-script';
import { validateChoices, type Choices } from './validate-choices';
import { VNC_WRAPPER, VNC_WRAPPER_MARKER } from './vnc-wrapper';

const catalog = loadCatalog(resolve(__dirname, '../../../../catalog'));
function appOf(id: string) {
  const app = catalog.get(id);
  if (!app) throw new Error(`no app ${id} in the shipped catalog`);
  return app;
}
const partitions = [
  { name: 'viz', isDefault: true, maxTimeMinutes: 480 },
  { name: 'debug', maxTimeMinutes: 30 },
];
const context: RenderContext = {
  sessionId: 'sess-0123',
  stagingDir: '/var/lib/vizportal/sessions/sess-0123',
  readinessUrl: 'http://portal.example:3000/api/internal/sessions/sess-0123/ready',
};

function choicesFor(appId: string, values: Record<string, unknown> = {}): Choices {
  const app = appOf(appId);
  const result = validateChoices(app, values, { partitions });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.choices;
}

function render(appId: string, values: Record<string, unknown> = {}) {
  return renderJobScript(appOf(appId), choicesFor(appId, values), context);
}

const sbatchLines = (script: string) => script.split('\n').filter((line) => line.startsWith('#SBATCH'));

describe('renderJobScript', () => {
  it('renders the resource request of the shipped desktop with its defaults', () => {
    const { script, jobName, resources } = render('desktop');
    expect(script.split('\n').slice(0, 6)).toEqual([
      '#!/bin/bash',
      '#SBATCH --partition=viz',
      '#SBATCH --nodes=1',
      '#SBATCH --cpus-per-task=1',
      '#SBATCH --mem=1G',
      '#SBATCH --time=01:00:00',
    ]);
    expect(sbatchLines(script)).toHaveLength(5);
    expect(jobName).toBe('vizportal-desktop');
    expect(resources).toEqual({ partition: 'viz', cpus: 1, memoryMb: 1024, timeMinutes: 60, gpus: 0 });
  });

  it('renders chosen values, fractional memory in MB, and half hours', () => {
    const { script } = render('gedit', { partition: 'debug', cpus: 3, memory: 2.5, hours: 0.5 });
    expect(sbatchLines(script)).toEqual([
      '#SBATCH --partition=debug',
      '#SBATCH --nodes=1',
      '#SBATCH --cpus-per-task=3',
      '#SBATCH --mem=2560M',
      '#SBATCH --time=00:30:00',
    ]);
  });

  it('renders gres, account and qos when the manifest asks for them', () => {
    const app = parseAppManifest(
      JSON.stringify({
        id: 'gpu-app',
        title: 'GPU app',
        icon: 'memory',
        category: 'Tests',
        form: [
          { id: 'gpus', type: 'number', label: 'GPUs', default: 1, min: 0, max: 4, step: 1 },
          {
            id: 'account',
            type: 'select',
            label: 'Account',
            default: 'proj-a',
            options: [{ value: 'proj-a' }, { value: 'proj-b' }],
          },
        ],
        slurm: {
          partition: 'gpu',
          cpus: 8,
          memoryGb: 32,
          timeHours: 26,
          gpus: { field: 'gpus' },
          account: { field: 'account' },
          qos: 'interactive',
        },
        desktop: { windowManager: 'openbox', geometry: '1920x1080' },
        command: ['/opt/app/bin/app'],
      }),
      'gpu-app.json',
    );
    const result = validateChoices(
      app,
      { gpus: 2, account: 'proj-b' },
      { partitions: [{ name: 'gpu', maxTimeMinutes: null }] },
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(sbatchLines(renderJobScript(app, result.choices, context).script)).toEqual([
      '#SBATCH --partition=gpu',
      '#SBATCH --nodes=1',
      '#SBATCH --cpus-per-task=8',
      '#SBATCH --mem=32G',
      '#SBATCH --time=1-02:00:00',
      '#SBATCH --gres=gpu:2',
      '#SBATCH --account=proj-b',
      '#SBATCH --qos=interactive',
    ]);
  });

  it('starts a native app with its argv, each word quoted', () => {
    const { script } = render('xterm', { title: "it's mine" });
    expect(script).toContain(
      `vizportal_app() {\n  exec 'xterm' '-xrm' 'XTerm*allowTitleOps: false' '-geometry' '168x57+0+0' '-T' 'it'\\''s mine'\n}`,
    );
  });

  it('starts the container app inside apptainer exec with its bind mount', () => {
    const { script } = render('gedit-container');
    expect(script).toContain(
      `vizportal_app() {\n  exec apptainer exec --bind '/tmp/.X11-unix:/tmp/.X11-unix:ro' '/opt/apptainers/apps/gedit/gedit.sif' 'gedit'\n}`,
    );
  });

  it('renders several bind mounts, with targets and read-write', () => {
    const app = parseAppManifest(
      JSON.stringify({
        id: 'binds',
        title: 'Binds',
        icon: 'folder',
        category: 'Tests',
        slurm: { partition: 'viz', cpus: 1, memoryGb: 1, timeHours: 1 },
        desktop: { windowManager: 'none', geometry: '1024x768' },
        command: ['paraview', '--data=/data'],
        container: {
          image: '/opt/apptainers/apps/paraview/paraview.sif',
          binds: [{ source: '/scratch' }, { source: '/srv/datasets', target: '/data', readOnly: true }],
        },
      }),
      'binds.json',
    );
    const result = validateChoices(app, {}, { partitions });
    if (!result.ok) throw new Error('invalid');
    expect(renderJobScript(app, result.choices, context).script).toContain(
      "  exec apptainer exec --bind '/scratch:/scratch' --bind '/srv/datasets:/data:ro' '/opt/apptainers/apps/paraview/paraview.sif' 'paraview' '--data=/data'\n",
    );
  });

  it('writes the session values and form values as quoted assignments', () => {
    const { script } = render('xterm', { title: '$(touch x)' });
    expect(script).toContain(
      [
        "VIZPORTAL_SESSION_ID='sess-0123'",
        "VIZPORTAL_STAGING_DIR='/var/lib/vizportal/sessions/sess-0123'",
        "VIZPORTAL_READY_URL='http://portal.example:3000/api/internal/sessions/sess-0123/ready'",
        "VIZPORTAL_APP_ID='xterm'",
        "VIZPORTAL_APP_TITLE='Terminal'",
        "VIZPORTAL_GEOMETRY='1024x768'",
        "VIZPORTAL_WINDOW_MANAGER='none'",
        "VIZPORTAL_TIME_LIMIT_MINUTES='60'",
      ].join('\n'),
    );
    expect(script).toContain("export VIZPORTAL_FIELD_TITLE='$(touch x)'\n");
  });

  it('never writes the readiness secret, only reads it from the environment', () => {
    const { script } = render('desktop');
    expect(script).not.toMatch(/VIZPORTAL_READY_SECRET=/);
    expect(script).not.toMatch(/Bearer [^%]/);
  });

  it('ends with the VNC wrapper', () => {
    const { script } = render('desktop');
    expect(script.endsWith(VNC_WRAPPER)).toBe(true);
    expect(script.indexOf(VNC_WRAPPER_MARKER)).toBeGreaterThan(script.indexOf('vizportal_app() {'));
  });

  it.each(['desktop', 'xterm', 'gedit', 'gedit-container'])(
    'renders %s as a script bash can parse',
    (appId) => {
      const parse = spawnSync('bash', ['-n'], { input: render(appId).script, encoding: 'utf8' });
      expect(parse.stderr).toBe('');
      expect(parse.status).toBe(0);
    },
  );

  // shellcheck is Debian's package; tools/test.sh installs it.
  it.each(['desktop', 'xterm', 'gedit', 'gedit-container'])(
    'renders %s as a script shellcheck finds nothing in',
    (appId) => {
      const check = spawnSync('shellcheck', ['-s', 'bash', '-'], {
        input: render(appId).script,
        encoding: 'utf8',
      });
      expect(check.error).toBeUndefined();
      expect(check.stdout).toBe('');
      expect(check.status).toBe(0);
    },
  );

  describe('refuses what validation would have refused', () => {
    const app = appOf('desktop');
    const good = choicesFor('desktop');

    it.each<[string, Partial<RenderContext>]>([
      ['a session id with a space', { sessionId: 'a b' }],
      ['a relative staging folder', { stagingDir: 'sessions/a' }],
      ['a staging folder with a newline', { stagingDir: '/a\nb' }],
      ['a readiness URL that is not http', { readinessUrl: 'file:///etc/passwd' }],
      ['a readiness URL with a space', { readinessUrl: 'http://a/ b' }],
      ['a readiness URL that is no URL', { readinessUrl: 'not a url' }],
    ])('%s', (_name, change) => {
      expect(() => renderJobScript(app, good, { ...context, ...change })).toThrow(RenderError);
    });

    it.each<[string, Record<string, unknown>]>([
      ['an unvalidated number', { cpus: 99 }],
      ['a value of the wrong type', { cpus: '1' }],
      ['a partition that is no Slurm name', { partition: 'viz;rm' }],
      ['an extra field', { extra: 'x' }],
      ['a missing field', { cpus: undefined }],
    ])('choices with %s', (_name, change) => {
      const forged = { ...good, ...change } as unknown as Choices;
      expect(() => renderJobScript(app, forged, context)).toThrow(RenderError);
    });
  });
});

describe('formatSlurmTime', () => {
  it.each([
    [1, '00:01:00'],
    [30, '00:30:00'],
    [90, '01:30:00'],
    [480, '08:00:00'],
    [1440, '1-00:00:00'],
    [1500, '1-01:00:00'],
  ])('%i min → %s', (minutes, text) => {
    expect(formatSlurmTime(minutes)).toBe(text);
  });
});
