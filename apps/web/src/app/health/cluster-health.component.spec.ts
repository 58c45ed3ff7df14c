import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { HealthReportDto, NodeDto } from '@vizportal/session-domain';
import { ClusterHealthComponent } from './cluster-health.component';

const node = (name: string, state: string, allocatedCpus: number, partitions: string[]): NodeDto => ({
  name,
  state,
  flags: [],
  usable: true,
  cpus: 4,
  allocatedCpus,
  memoryMb: 4096,
  gres: null,
  partitions,
  reason: null,
});

const upReport: HealthReportDto = {
  status: 'ok',
  details: {
    database: { status: 'up' },
    slurm: {
      status: 'up',
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
      ],
      nodes: [node('viz01', 'idle', 0, ['viz']), node('viz02', 'mixed', 2, ['viz', 'debug'])],
    },
  },
};

async function render(): Promise<{
  element: HTMLElement;
  http: HttpTestingController;
  settle: () => Promise<void>;
}> {
  await TestBed.configureTestingModule({
    imports: [ClusterHealthComponent],
    providers: [provideHttpClient(), provideHttpClientTesting()],
  }).compileComponents();
  const fixture = TestBed.createComponent(ClusterHealthComponent);
  fixture.detectChanges();
  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
    fixture.detectChanges();
  };
  return {
    element: fixture.nativeElement as HTMLElement,
    http: TestBed.inject(HttpTestingController),
    settle,
  };
}

describe('ClusterHealthComponent', () => {
  it('lists partitions and nodes when Slurm is reachable', async () => {
    const { element, http, settle } = await render();
    http.expectOne('/api/health').flush(upReport);
    await settle();
    expect(element.querySelector('[data-testid=slurm-status]')?.textContent).toContain('Reachable');
    expect(element.querySelector('[data-testid=partitions]')?.textContent).toContain('viz');
    expect(element.querySelector('[data-testid=partitions]')?.textContent).toContain('8 h');
    const nodes = element.querySelector('[data-testid=nodes]')?.textContent ?? '';
    expect(nodes).toContain('viz01');
    expect(nodes).toContain('2 / 4');
  });

  it('reads the report from a 503 and says Slurm is unreachable, with the reason', async () => {
    const { element, http, settle } = await render();
    const downReport: HealthReportDto = {
      status: 'error',
      details: {
        database: { status: 'up' },
        slurm: { status: 'down', message: 'Unable to contact slurm controller' },
      },
    };
    http.expectOne('/api/health').flush(downReport, { status: 503, statusText: 'Service Unavailable' });
    await settle();
    expect(element.querySelector('[data-testid=slurm-status]')?.textContent).toContain('Unreachable');
    expect(element.textContent).toContain('Unable to contact slurm controller');
    expect(element.querySelector('[data-testid=nodes]')).toBeNull();
  });

  it('says so when the portal does not answer at all', async () => {
    const { element, http, settle } = await render();
    http.expectOne('/api/health').error(new ProgressEvent('error'), { status: 0 });
    await settle();
    expect(element.querySelector('[role=alert]')?.textContent).toContain('did not answer');
  });
});
