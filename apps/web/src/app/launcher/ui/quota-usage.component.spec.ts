import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { QuotaDto, QuotaReportDto } from '@vizportal/site-policy';
import { required } from '../../../testing/dom';
import { QuotaUsageComponent } from './quota-usage.component';

const report = (...quotas: QuotaDto[]): QuotaReportDto => ({ username: 'alice', quotas });
const LIVE: QuotaDto = { quota: 'liveSessions', label: 'Sessions running or waiting', used: 2, limit: 3 };
const CPUS: QuotaDto = { quota: 'cpus', label: 'CPUs in live sessions', used: 6, limit: null };
const GPUS: QuotaDto = { quota: 'gpus', label: 'GPUs in live sessions', used: 1, limit: 1 };
const HOURS: QuotaDto = {
  quota: 'sessionHours',
  label: 'Session-hours in the last 7 days',
  used: 50,
  limit: 40,
};

describe('QuotaUsageComponent', () => {
  let fixture: ComponentFixture<QuotaUsageComponent>;
  let element: HTMLElement;

  async function render(value: QuotaReportDto | null | undefined): Promise<void> {
    fixture = TestBed.createComponent(QuotaUsageComponent);
    if (value !== undefined) fixture.componentRef.setInput('report', value);
    element = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  }

  const rows = () => [...element.querySelectorAll<HTMLElement>('[data-quota]')];
  const row = (quota: string) => required(element, `[data-quota=${quota}]`);
  const bar = (quota: string) => required(row(quota), 'mat-progress-bar');

  it('shows nothing before the report has been read', async () => {
    await render(undefined);
    expect(element.querySelector('[data-testid=quota-usage]')).toBeNull();
    await render(null);
    expect(element.querySelector('[data-testid=quota-usage]')).toBeNull();
    expect(element.textContent?.trim()).toBe('');
  });

  it('shows nothing when no quota has a limit', async () => {
    await render(report({ ...LIVE, limit: null }, CPUS));
    expect(element.querySelector('[data-testid=quota-usage]')).toBeNull();
    expect(rows()).toEqual([]);
  });

  it('shows nothing for an empty report', async () => {
    await render(report());
    expect(element.querySelector('[data-testid=quota-usage]')).toBeNull();
  });

  it('shows "used of limit" for each limited quota, in order, and leaves the unlimited ones out', async () => {
    await render(report(LIVE, CPUS, GPUS));
    expect(required(element, '[data-testid=quota-usage]').getAttribute('aria-label')).toBe('Your quotas');
    expect(rows().map((quota) => quota.getAttribute('data-quota'))).toEqual(['liveSessions', 'gpus']);
    expect(row('liveSessions').textContent).toContain('Sessions running or waiting');
    expect(required(row('liveSessions'), 'strong').textContent?.trim()).toBe('2 of 3');
    expect(required(row('gpus'), 'strong').textContent?.trim()).toBe('1 of 1');
    expect(element.querySelector('[data-quota=cpus]')).toBeNull();
    expect(element.textContent).not.toContain('CPUs in live sessions');
  });

  it('marks a quota full when its use has reached or passed its limit, and only those', async () => {
    await render(report(LIVE, GPUS, HOURS));
    expect(row('liveSessions').classList).not.toContain('vp-full');
    expect(row('gpus').classList).toContain('vp-full');
    expect(row('sessionHours').classList).toContain('vp-full');
    expect(required(row('sessionHours'), 'strong').textContent?.trim()).toBe('50 of 40');
  });

  it('fills each bar by the share used, capped at the whole bar', async () => {
    await render(report(LIVE, GPUS, HOURS));
    expect(Number(bar('liveSessions').getAttribute('aria-valuenow'))).toBeCloseTo(66.67, 1);
    expect(bar('gpus').getAttribute('aria-valuenow')).toBe('100');
    expect(bar('sessionHours').getAttribute('aria-valuenow')).toBe('100');
  });

  it('treats a limit of zero as full, with a full bar', async () => {
    await render(report({ ...GPUS, used: 0, limit: 0 }));
    expect(required(row('gpus'), 'strong').textContent?.trim()).toBe('0 of 0');
    expect(row('gpus').classList).toContain('vp-full');
    expect(bar('gpus').getAttribute('aria-valuenow')).toBe('100');
  });

  it('follows a new report', async () => {
    await render(report(LIVE));
    expect(row('liveSessions').classList).not.toContain('vp-full');
    fixture.componentRef.setInput('report', report({ ...LIVE, used: 3 }));
    await fixture.whenStable();
    expect(required(row('liveSessions'), 'strong').textContent?.trim()).toBe('3 of 3');
    expect(row('liveSessions').classList).toContain('vp-full');
    fixture.componentRef.setInput('report', report({ ...LIVE, limit: null }));
    await fixture.whenStable();
    expect(element.querySelector('[data-testid=quota-usage]')).toBeNull();
  });
});
