import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { AuthStore } from '../../shared/data-access/auth.store';
import { unauthorizedInterceptor } from './unauthorized.interceptor';

describe('unauthorizedInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let router: Router;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([unauthorizedInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
  });

  it('sends the user to /login, with the way back, when a call answers 401', async () => {
    const navigate = jest.spyOn(router, 'navigate').mockResolvedValue(true);
    jest.spyOn(router, 'url', 'get').mockReturnValue('/sessions/abc/desktop');
    const expire = jest.spyOn(TestBed.inject(AuthStore), 'expire');
    const call = firstValueFrom(http.get('/api/sessions'));
    backend
      .expectOne('/api/sessions')
      .flush({ message: 'Log in first' }, { status: 401, statusText: 'Unauthorized' });
    await expect(call).rejects.toMatchObject({ status: 401 });
    expect(expire).toHaveBeenCalled();
    expect(navigate).toHaveBeenCalledWith(['/login'], {
      queryParams: { returnUrl: '/sessions/abc/desktop' },
    });
  });

  it("leaves the login call's 401 (a wrong password) to the login page", async () => {
    const navigate = jest.spyOn(router, 'navigate');
    const call = firstValueFrom(http.post('/api/auth/login', {}));
    backend
      .expectOne('/api/auth/login')
      .flush({ message: 'Wrong username or password' }, { status: 401, statusText: 'Unauthorized' });
    await expect(call).rejects.toMatchObject({ status: 401 });
    expect(navigate).not.toHaveBeenCalled();
  });

  it('lets other errors through untouched', async () => {
    const navigate = jest.spyOn(router, 'navigate');
    const call = firstValueFrom(http.get('/api/cluster'));
    backend.expectOne('/api/cluster').flush({ message: 'down' }, { status: 503, statusText: 'Unavailable' });
    await expect(call).rejects.toMatchObject({ status: 503 });
    expect(navigate).not.toHaveBeenCalled();
  });
});
