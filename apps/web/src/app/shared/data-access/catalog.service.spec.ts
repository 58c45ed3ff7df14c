import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { AppDto } from '@vizportal/session-domain';
import { CatalogService } from './catalog.service';

const app = (id: string, category: string): AppDto => ({
  id,
  title: id,
  description: '',
  icon: 'apps',
  category,
  form: [],
});

describe('CatalogService', () => {
  it('reads the catalog once and groups it by category, in catalog order', async () => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    const catalog = TestBed.inject(CatalogService);
    const http = TestBed.inject(HttpTestingController);

    const loading = Promise.all([catalog.load(), catalog.load()]);
    http
      .expectOne('/api/apps')
      .flush([app('desktop', 'Desktops'), app('gedit', 'Editors'), app('xterm', 'Desktops')]);
    await loading;
    await catalog.load();
    http.verify();

    expect(catalog.categories().map((category) => [category.name, category.apps.map((a) => a.id)])).toEqual([
      ['Desktops', ['desktop', 'xterm']],
      ['Editors', ['gedit']],
    ]);
    expect(catalog.app('gedit')?.category).toBe('Editors');
  });

  it('says why the catalog could not be read', async () => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    const catalog = TestBed.inject(CatalogService);
    const loading = catalog.load();
    TestBed.inject(HttpTestingController)
      .expectOne('/api/apps')
      .flush({ message: 'boom' }, { status: 500, statusText: 'Error' });
    await loading;
    expect(catalog.error()).toBe('boom');
    expect(catalog.apps()).toBeNull();
  });

  describe('whyUnavailable', () => {
    let catalog: CatalogService;
    let http: HttpTestingController;

    beforeEach(() => {
      TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
      catalog = TestBed.inject(CatalogService);
      http = TestBed.inject(HttpTestingController);
    });

    afterEach(() => http.verify());

    it("asks GET /api/apps/:id and returns the API's 403 sentence, which says whom the app is for", async () => {
      const why = catalog.whyUnavailable('matlab');
      http
        .expectOne({ method: 'GET', url: '/api/apps/matlab' })
        .flush(
          { statusCode: 403, error: 'Forbidden', message: 'MATLAB is only for the groups: licensed.' },
          { status: 403, statusText: 'Forbidden' },
        );
      await expect(why).resolves.toBe('MATLAB is only for the groups: licensed.');
    });

    it("returns the API's 404 sentence for an app the site does not have", async () => {
      const why = catalog.whyUnavailable('nope');
      http
        .expectOne({ method: 'GET', url: '/api/apps/nope' })
        .flush(
          { statusCode: 404, error: 'Not Found', message: 'There is no app called "nope".' },
          { status: 404, statusText: 'Not Found' },
        );
      await expect(why).resolves.toBe('There is no app called "nope".');
    });

    it('escapes the id in the URL', async () => {
      const why = catalog.whyUnavailable('a b/c?d');
      http
        .expectOne('/api/apps/a%20b%2Fc%3Fd')
        .flush({ message: 'No.' }, { status: 404, statusText: 'Not Found' });
      await expect(why).resolves.toBe('No.');
    });

    it('says to reload when the API does have the app for this user', async () => {
      const why = catalog.whyUnavailable('gedit');
      http.expectOne('/api/apps/gedit').flush(app('gedit', 'Editors'));
      await expect(why).resolves.toBe(
        'This app was added since the page loaded: reload the page to launch it.',
      );
    });

    it('words a portal that did not answer, and leaves the catalog alone', async () => {
      const why = catalog.whyUnavailable('matlab');
      http.expectOne('/api/apps/matlab').error(new ProgressEvent('error'), { status: 0 });
      await expect(why).resolves.toBe('The portal did not answer. Check your connection and try again.');
      expect(catalog.apps()).toBeNull();
      expect(catalog.error()).toBeNull();
    });
  });
});
