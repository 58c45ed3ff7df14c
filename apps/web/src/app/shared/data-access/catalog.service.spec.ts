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
});
