import { ComponentFixture, TestBed } from '@angular/core/testing';
import type { AppDto, ClusterDto } from '@vizportal/session-domain';
import { LaunchFormComponent } from './launch-form.component';
import { required } from '../../../testing/dom';

const APP: AppDto = {
  id: 'desktop',
  title: 'Desktop',
  description: 'A desktop',
  icon: 'desktop_windows',
  category: 'Desktops',
  form: [
    {
      id: 'partition',
      type: 'select',
      label: 'Partition',
      options: [{ value: 'viz' }, { value: 'debug' }],
      default: 'viz',
    },
    {
      id: 'cpus',
      type: 'number',
      label: 'CPUs',
      default: 1,
      min: 1,
      max: 4,
      step: 1,
      help: 'How many cores.',
    },
    { id: 'title', type: 'text', label: 'Title', default: 'x', maxLength: 20 },
    { id: 'fullscreen', type: 'boolean', label: 'Full screen', help: 'Start maximised.' },
  ],
};

const CLUSTER: ClusterDto = {
  partitions: [
    {
      name: 'viz',
      isDefault: true,
      state: 'up',
      nodes: ['viz01', 'viz02'],
      maxTimeMinutes: 480,
      defaultTimeMinutes: 60,
      maxCpusPerNode: 4,
      maxMemoryPerNodeMb: 4096,
      gres: {},
    },
    {
      name: 'debug',
      isDefault: false,
      state: 'up',
      nodes: ['viz02'],
      maxTimeMinutes: 30,
      defaultTimeMinutes: 10,
      maxCpusPerNode: 4,
      maxMemoryPerNodeMb: 4096,
      gres: {},
    },
  ],
  nodes: [
    {
      name: 'viz01',
      state: 'mixed',
      flags: [],
      usable: true,
      cpus: 4,
      allocatedCpus: 3,
      memoryMb: 4096,
      gres: null,
      partitions: ['viz'],
      reason: null,
    },
    {
      name: 'viz02',
      state: 'idle',
      flags: [],
      usable: true,
      cpus: 4,
      allocatedCpus: 0,
      memoryMb: 4096,
      gres: null,
      partitions: ['viz', 'debug'],
      reason: null,
    },
  ],
};

describe('LaunchFormComponent', () => {
  let fixture: ComponentFixture<LaunchFormComponent>;
  let element: HTMLElement;
  let launched: Record<string, unknown>[];

  async function render(inputs: Record<string, unknown> = {}): Promise<void> {
    fixture = TestBed.createComponent(LaunchFormComponent);
    fixture.componentRef.setInput('app', APP);
    fixture.componentRef.setInput('cluster', CLUSTER);
    for (const [name, value] of Object.entries(inputs)) fixture.componentRef.setInput(name, value);
    launched = [];
    fixture.componentInstance.launch.subscribe((values) => launched.push(values));
    element = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  }

  const field = (id: string) => required<HTMLInputElement>(element, `[data-testid=field-${id}]`);
  const errorText = (id: string) => element.querySelector(`[data-testid=error-${id}]`)?.textContent?.trim();

  function type(id: string, value: string): void {
    const input = field(id);
    input.value = value;
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('blur'));
  }

  function submit(): void {
    required<HTMLButtonElement>(element, '[data-testid=launch-submit]').click();
  }

  it('generates a control per field, with labels, help and bounds', async () => {
    await render();
    expect(field('cpus').type).toBe('number');
    expect(field('cpus').getAttribute('max')).toBe('4');
    expect(field('title').getAttribute('maxlength')).toBe('20');
    expect(element.querySelector('[data-testid=field-partition]')?.tagName.toLowerCase()).toBe('mat-select');
    expect(element.querySelector('[data-testid=field-fullscreen]')?.tagName.toLowerCase()).toBe(
      'mat-slide-toggle',
    );
    expect(element.textContent).toContain('How many cores. 1 to 4.');
    expect(element.textContent).toContain('Start maximised.');
  });

  it("shows the chosen partition's time limit and free CPUs", async () => {
    await render();
    expect(element.querySelector('[data-testid=partition-hint]')?.textContent).toContain(
      'Up to 8 h · 5 of 8 CPUs free on 2 nodes',
    );
  });

  it('shows an out-of-range value inline and does not launch', async () => {
    await render();
    type('cpus', '12');
    submit();
    await fixture.whenStable();
    expect(errorText('cpus')).toBe('At most 4');
    expect(launched).toEqual([]);
  });

  it('launches with typed values when the form is valid', async () => {
    await render();
    type('cpus', '2');
    submit();
    expect(launched).toEqual([{ partition: 'viz', cpus: 2, title: 'x', fullscreen: false }]);
  });

  it("shows the server's field errors at their fields, and a refusal above the button", async () => {
    await render();
    fixture.componentRef.setInput('serverErrors', [
      { field: 'cpus', message: 'CPUs: more than the partition allows' },
    ]);
    fixture.componentRef.setInput('problemTitle', 'Slurm refused this job');
    fixture.componentRef.setInput('problem', 'Requested node configuration is not available');
    await fixture.whenStable();
    expect(errorText('cpus')).toBe('CPUs: more than the partition allows');
    const problem = element.querySelector('[data-testid=launch-problem]')?.textContent;
    expect(problem).toContain('Slurm refused this job');
    expect(problem).toContain('Requested node configuration is not available');
  });
});
