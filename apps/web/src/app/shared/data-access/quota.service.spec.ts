import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { QuotaReportDto } from '@vizportal/site-policy';
import { QuotaService } from './quota.service';

const report = (liveSessions: number): QuotaReportDto => ({
  username: 'alice',
  quotas: [
    { quota: 'liveSessions', label: 'Sessions running or waiting', used: liveSessions, limit: 3 },
    { quota: 'cpus', label: 'CPUs in live sessions', used: 4, limit: null },
  ],
});

describe('QuotaService', () => {
  let quotas: QuotaService;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    quotas = TestBed.inject(QuotaService);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('holds nothing before the first read', () => {
    expect(quotas.report()).toBeNull();
    expect(quotas.error()).toBeNull();
  });

  it("reads the user's quotas from GET /api/quotas/mine, and reads them again on each refresh", async () => {
    const first = quotas.refresh();
    http.expectOne({ method: 'GET', url: '/api/quotas/mine' }).flush(report(1));
    await first;
    expect(quotas.report()).toEqual(report(1));
    expect(quotas.error()).toBeNull();

    const second = quotas.refresh();
    http.expectOne({ method: 'GET', url: '/api/quotas/mine' }).flush(report(2));
    await second;
    expect(quotas.report()?.quotas[0]).toMatchObject({ quota: 'liveSessions', used: 2, limit: 3 });
  });

  it('says why the quotas could not be read, keeps the last good report, and clears the error after a good read', async () => {
    const first = quotas.refresh();
    http.expectOne('/api/quotas/mine').flush(report(1));
    await first;

    const failing = quotas.refresh();
    http
      .expectOne('/api/quotas/mine')
      .flush(
        { statusCode: 503, message: 'The database is busy' },
        { status: 503, statusText: 'Service Unavailable' },
      );
    await expect(failing).resolves.toBeUndefined();
    expect(quotas.error()).toBe('The database is busy');
    expect(quotas.report()).toEqual(report(1));

    const again = quotas.refresh();
    http.expectOne('/api/quotas/mine').flush(report(0));
    await again;
    expect(quotas.error()).toBeNull();
    expect(quotas.report()?.quotas[0].used).toBe(0);
  });

  it('words a portal that did not answer at all', async () => {
    const failing = quotas.refresh();
    http.expectOne('/api/quotas/mine').error(new ProgressEvent('error'), { status: 0 });
    await failing;
    expect(quotas.error()).toBe('The portal did not answer. Check your connection and try again.');
    expect(quotas.report()).toBeNull();
  });
});
