import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import MockRFB from '../../../testing/novnc.mock';
import { FakeSessionSocket } from '../../../testing/fake-session-socket';
import { runningSessionDto, sessionDto } from '../../../testing/session-dto.fixture';
import { SESSION_SOCKET_FACTORY } from '../../shared/data-access/session-socket';
import { SessionStore } from '../../shared/data-access/session-store';
import { DesktopPageComponent } from './desktop-page.component';
import { required } from '../../../testing/dom';

describe('DesktopPageComponent', () => {
  const ID = sessionDto().id;
  let fixture: ComponentFixture<DesktopPageComponent>;
  let http: HttpTestingController;
  let socket: FakeSessionSocket;
  let element: HTMLElement;

  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  };
  const overlay = () =>
    element.querySelector('[data-testid=desktop-overlay]')?.getAttribute('data-overlay') ?? null;

  beforeEach(async () => {
    MockRFB.instances = [];
    socket = new FakeSessionSocket();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: SESSION_SOCKET_FACTORY, useValue: () => socket.asSocket() },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    TestBed.inject(SessionStore).start();
    http.expectOne('/api/sessions').flush({ sessions: [sessionDto({ state: 'queued' })], nextBefore: null });
    fixture = TestBed.createComponent(DesktopPageComponent);
    fixture.componentRef.setInput('id', ID);
    element = fixture.nativeElement as HTMLElement;
    await settle();
  });

  it('waits while queued, connects when the socket says the desktop runs, and ends with the session', async () => {
    expect(overlay()).toBe('waiting');
    expect(element.textContent).toContain('Queued: waiting for resources');
    http.expectNone('/api/sessions/' + ID + '/connect');

    socket.receive(
      'session.updated',
      runningSessionDto(Date.now(), 0, { updatedAt: '2026-03-02T10:05:00.000Z' }),
    );
    await settle();
    http
      .expectOne({ method: 'POST', url: `/api/sessions/${ID}/connect` })
      .flush({ path: `/api/sessions/${ID}/vnc?token=abc`, token: 'abc', expiresAt: '', password: 'pw' });
    await settle();
    expect(overlay()).toBe('connecting');
    expect(MockRFB.instances).toHaveLength(1);
    expect(MockRFB.instances[0].target).toBe(element.querySelector('[data-testid=vnc-screen]'));

    MockRFB.instances[0].fire('connect');
    await settle();
    expect(overlay()).toBeNull();
    expect(element.querySelector('[data-testid=vnc-status]')?.textContent).toContain('Connected');

    socket.receive(
      'session.updated',
      sessionDto({
        state: 'cancelled',
        headline: 'Ended: stopped by you',
        canStop: false,
        canDelete: true,
        updatedAt: '2026-03-02T10:09:00.000Z',
      }),
    );
    await settle();
    expect(overlay()).toBe('ended');
    expect(MockRFB.instances[0].disconnected).toBe(true);
    expect(element.querySelector('[data-testid=session-ended]')?.textContent).toContain(
      'This session has ended',
    );
  });

  it('waits for the node before connecting (readiness can beat the poller)', async () => {
    socket.receive(
      'session.updated',
      runningSessionDto(Date.now(), 0, { node: null, updatedAt: '2026-03-02T10:05:00.000Z' }),
    );
    await settle();
    http.expectNone(`/api/sessions/${ID}/connect`);
    expect(overlay()).toBe('connecting');
    socket.receive(
      'session.updated',
      runningSessionDto(Date.now(), 0, { updatedAt: '2026-03-02T10:05:01.000Z' }),
    );
    await settle();
    http.expectOne(`/api/sessions/${ID}/connect`);
  });

  it('sends clipboard text from its panel', async () => {
    socket.receive(
      'session.updated',
      runningSessionDto(Date.now(), 0, { updatedAt: '2026-03-02T10:05:00.000Z' }),
    );
    await settle();
    http
      .expectOne(`/api/sessions/${ID}/connect`)
      .flush({ path: '/p', token: 't', expiresAt: '', password: 'pw' });
    await settle();
    MockRFB.instances[0].fire('connect');
    required<HTMLButtonElement>(element, '[data-testid=toggle-clipboard]').click();
    await settle();
    const textarea = required<HTMLTextAreaElement>(element, '[data-testid=clipboard-out]');
    textarea.value = 'hello desktop';
    textarea.dispatchEvent(new Event('input'));
    await settle();
    required<HTMLButtonElement>(element, '[data-testid=clipboard-send]').click();
    expect(MockRFB.instances[0].pasted).toEqual(['hello desktop']);
  });

  it('looks up by id a session beyond the loaded pages, and says missing only when there is none', async () => {
    const OLD = '11111111-2222-4333-8444-555566667777';
    fixture.componentRef.setInput('id', OLD);
    await settle();
    expect(overlay()).toBe('loading');
    http.expectOne(`/api/sessions/${OLD}`).flush(
      sessionDto({
        id: OLD,
        state: 'completed',
        headline: 'Ended: the app exited',
        canStop: false,
        canDelete: true,
      }),
    );
    await settle();
    expect(overlay()).toBe('ended');

    const GONE = '99999999-2222-4333-8444-555566667777';
    fixture.componentRef.setInput('id', GONE);
    await settle();
    http
      .expectOne(`/api/sessions/${GONE}`)
      .flush({ message: 'Session not found' }, { status: 404, statusText: 'Not Found' });
    await settle();
    expect(overlay()).toBe('missing');
    http.verify();
  });
});
