import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { LoginPageComponent } from './login-page.component';
import { required } from '../../../testing/dom';

describe('LoginPageComponent', () => {
  let fixture: ComponentFixture<LoginPageComponent>;
  let element: HTMLElement;
  let http: HttpTestingController;

  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  };

  function fill(testId: string, value: string): void {
    const input = required<HTMLInputElement>(element, `[data-testid=${testId}]`);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(LoginPageComponent);
    element = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  it('logs in and goes back where the user was heading', async () => {
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    fixture.componentRef.setInput('returnUrl', '/sessions/abc/desktop');
    fill('login-username', ' alice ');
    fill('login-password', 'secret');
    required<HTMLButtonElement>(element, '[data-testid=login-submit]').click();
    const request = http.expectOne('/api/auth/login');
    expect(request.request.body).toEqual({ username: 'alice', password: 'secret' });
    request.flush({ username: 'alice', isAdmin: false, authMode: 'local' });
    await settle();
    expect(navigate).toHaveBeenCalledWith('/sessions/abc/desktop');
  });

  it('never follows a return address off the portal', async () => {
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    fixture.componentRef.setInput('returnUrl', '//evil.example.org');
    fill('login-username', 'alice');
    fill('login-password', 'secret');
    required<HTMLButtonElement>(element, '[data-testid=login-submit]').click();
    http.expectOne('/api/auth/login').flush({ username: 'alice', isAdmin: false, authMode: 'local' });
    await settle();
    expect(navigate).toHaveBeenCalledWith('/sessions');
  });

  it('says so when the password is wrong, and when there were too many tries', async () => {
    fill('login-username', 'alice');
    fill('login-password', 'nope');
    required<HTMLButtonElement>(element, '[data-testid=login-submit]').click();
    http
      .expectOne('/api/auth/login')
      .flush({ message: 'Wrong username or password' }, { status: 401, statusText: 'Unauthorized' });
    await settle();
    expect(element.querySelector('[data-testid=login-error]')?.textContent).toContain(
      'Wrong user name or password.',
    );

    fill('login-password', 'again');
    required<HTMLButtonElement>(element, '[data-testid=login-submit]').click();
    http
      .expectOne('/api/auth/login')
      .flush(
        { message: 'Too many login attempts from your address. Wait a minute, then try again.' },
        { status: 429, statusText: 'Too Many Requests' },
      );
    await settle();
    expect(element.querySelector('[data-testid=login-error]')?.textContent).toContain('Wait a minute');
  });

  it('asks for both fields before sending anything', async () => {
    required<HTMLButtonElement>(element, '[data-testid=login-submit]').click();
    await settle();
    http.expectNone('/api/auth/login');
    expect(element.textContent).toContain('Enter your user name');
  });
});
