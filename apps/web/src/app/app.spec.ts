import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { App } from './app';
import { AuthStore } from './shared/data-access/auth.store';
import { SESSION_SOCKET_FACTORY } from './shared/data-access/session-socket';
import { FakeSessionSocket } from '../testing/fake-session-socket';

describe('App', () => {
  let socket: FakeSessionSocket;

  async function render() {
    socket = new FakeSessionSocket();
    await TestBed.configureTestingModule({
      imports: [App],
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: SESSION_SOCKET_FACTORY, useValue: () => socket.asSocket() },
      ],
    }).compileComponents();
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    return {
      fixture,
      element: fixture.nativeElement as HTMLElement,
      http: TestBed.inject(HttpTestingController),
    };
  }

  it('shows the portal name in the top bar', async () => {
    const { element } = await render();
    expect(element.querySelector('mat-toolbar')?.textContent).toContain('vizportal');
  });

  it('once logged in: navigation, the live feed, and banners when Slurm or the socket is away', async () => {
    const { fixture, element, http } = await render();
    const login = TestBed.inject(AuthStore).login('alice', 'pw');
    http.expectOne('/api/auth/login').flush({ username: 'alice', isAdmin: false, authMode: 'local' });
    await login;
    await fixture.whenStable();
    http.expectOne('/api/sessions').flush({ sessions: [], nextBefore: null });
    expect(element.querySelector('[data-testid=nav-sessions]')).not.toBeNull();

    socket.open();
    socket.receive('scheduler.status', {
      reachable: false,
      since: '2026-03-02T10:00:00.000Z',
      message: 'Unable to contact slurm controller',
    });
    await fixture.whenStable();
    expect(element.querySelector('[data-testid=scheduler-banner]')?.textContent).toContain(
      'Slurm is not answering',
    );
    expect(element.querySelector('[data-testid=socket-banner]')).toBeNull();

    socket.drop();
    await fixture.whenStable();
    expect(element.querySelector('[data-testid=socket-banner]')?.textContent).toContain('reconnecting');
  });
});
