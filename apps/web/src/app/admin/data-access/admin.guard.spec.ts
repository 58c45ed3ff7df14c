import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import {
  type ActivatedRouteSnapshot,
  type RouterStateSnapshot,
  UrlTree,
  provideRouter,
} from '@angular/router';
import { adminGuard } from './admin.guard';

describe('adminGuard', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  const run = () =>
    TestBed.runInInjectionContext(() =>
      adminGuard({} as ActivatedRouteSnapshot, { url: '/admin' } as RouterStateSnapshot),
    ) as Promise<boolean | UrlTree>;
  const target = (answer: boolean | UrlTree) => (answer instanceof UrlTree ? answer.toString() : answer);

  it('lets an administrator in', async () => {
    const answer = run();
    http.expectOne('/api/auth/me').flush({ username: 'root', isAdmin: true, authMode: 'local' });
    expect(target(await answer)).toBe(true);
  });

  it('sends anyone else to their sessions', async () => {
    const answer = run();
    http.expectOne('/api/auth/me').flush({ username: 'alice', isAdmin: false, authMode: 'header' });
    expect(target(await answer)).toBe('/sessions');
  });

  it('does not open the page when the portal does not answer', async () => {
    const answer = run();
    http.expectOne('/api/auth/me').error(new ProgressEvent('error'), { status: 0 });
    expect(target(await answer)).toBe('/sessions');
  });
});
