import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { AuthStore } from './auth.store';

describe('AuthStore', () => {
  let store: AuthStore;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    store = TestBed.inject(AuthStore);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('asks /api/auth/me once, however many guards ask at the same time', async () => {
    const first = store.ensureLoaded();
    const second = store.ensureLoaded();
    http.expectOne('/api/auth/me').flush({ username: 'alice', isAdmin: false, authMode: 'local' });
    await expect(first).resolves.toEqual({ username: 'alice', isAdmin: false, authMode: 'local' });
    await expect(second).resolves.toEqual(expect.objectContaining({ username: 'alice' }));
    await expect(store.ensureLoaded()).resolves.toEqual(expect.objectContaining({ username: 'alice' }));
    expect(store.user()?.username).toBe('alice');
  });

  it('takes a 401 from /me as "not logged in"', async () => {
    const loaded = store.ensureLoaded();
    http
      .expectOne('/api/auth/me')
      .flush({ message: 'Log in first' }, { status: 401, statusText: 'Unauthorized' });
    await expect(loaded).resolves.toBeNull();
    expect(store.known()).toBe(true);
    expect(store.user()).toBeNull();
  });

  it('does not take an unreachable portal for a logout', async () => {
    const loaded = store.ensureLoaded();
    http.expectOne('/api/auth/me').error(new ProgressEvent('error'), { status: 0 });
    await expect(loaded).rejects.toBeDefined();
    expect(store.known()).toBe(false);
  });

  it('logs in and out', async () => {
    const login = store.login('alice', 'secret');
    const request = http.expectOne('/api/auth/login');
    expect(request.request.body).toEqual({ username: 'alice', password: 'secret' });
    request.flush({ username: 'alice', isAdmin: true, authMode: 'local' });
    await login;
    expect(store.user()?.isAdmin).toBe(true);

    const logout = store.logout();
    http
      .expectOne({ method: 'POST', url: '/api/auth/logout' })
      .flush(null, { status: 204, statusText: 'No Content' });
    await logout;
    expect(store.user()).toBeNull();
  });
});
