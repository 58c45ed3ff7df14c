import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { required } from '../../../testing/dom';
import { FakeSessionSocket } from '../../../testing/fake-session-socket';
import { sessionDto } from '../../../testing/session-dto.fixture';
import { SESSION_SOCKET_FACTORY } from '../../shared/data-access/session-socket';
import { SessionStore } from '../../shared/data-access/session-store';
import { SessionsPageComponent } from './sessions-page.component';

describe('SessionsPageComponent', () => {
  let fixture: ComponentFixture<SessionsPageComponent>;
  let http: HttpTestingController;
  let socket: FakeSessionSocket;
  let element: HTMLElement;

  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  };
  const at = (minute: number) => `2026-03-02T09:${String(minute).padStart(2, '0')}:00.000Z`;
  const ended = (id: string, minute: number) =>
    sessionDto({
      id,
      state: 'completed',
      headline: 'Completed',
      createdAt: at(minute),
      updatedAt: at(minute),
      canStop: false,
      canDelete: true,
    });
  const cardIds = (testId: string) =>
    [...element.querySelectorAll(`[data-testid=${testId}] [data-session-id]`)].map((card) =>
      card.getAttribute('data-session-id'),
    );
  const olderButton = () => element.querySelector<HTMLButtonElement>('[data-testid=older-sessions]');

  beforeEach(async () => {
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
    http.expectOne('/api/sessions').flush({
      sessions: [sessionDto({ id: 'live' }), ended('e50', 50), ended('e40', 40)],
      nextBefore: 'c1',
    });
    fixture = TestBed.createComponent(SessionsPageComponent);
    element = fixture.nativeElement as HTMLElement;
    http.expectOne('/api/apps').flush([]);
    socket.open();
    await settle();
  });

  afterEach(() => http.verify());

  it('shows the live sessions and the recent ended ones, and "Show older sessions" loads the next page below', async () => {
    expect(cardIds('live-sessions')).toEqual(['live']);
    expect(cardIds('ended-sessions')).toEqual(['e50', 'e40']);
    expect(required(element, '#ended-title').textContent).toContain('2+');

    required<HTMLButtonElement>(element, '[data-testid=older-sessions]').click();
    await fixture.whenStable();
    expect(olderButton()?.disabled).toBe(true);
    expect(olderButton()?.textContent).toContain('Loading older sessions');
    http.expectOne('/api/sessions?before=c1').flush({ sessions: [ended('e30', 30)], nextBefore: 'c2' });
    await settle();
    expect(cardIds('ended-sessions')).toEqual(['e50', 'e40', 'e30']);
    expect(olderButton()?.disabled).toBe(false);

    olderButton()?.click();
    http.expectOne('/api/sessions?before=c2').flush({ sessions: [ended('e20', 20)], nextBefore: null });
    await settle();
    expect(cardIds('ended-sessions')).toEqual(['e50', 'e40', 'e30', 'e20']);
    expect(olderButton()).toBeNull();
    expect(required(element, '#ended-title').textContent).not.toContain('+');
  });

  it('puts a session the socket announces on top, and moves one that ended to the ended cards', async () => {
    socket.receive(
      'session.updated',
      sessionDto({ id: 'new', createdAt: '2026-03-02T10:30:00.000Z', updatedAt: '2026-03-02T10:30:00.000Z' }),
    );
    socket.receive('session.updated', {
      ...ended('live', 55),
      createdAt: sessionDto().createdAt,
      updatedAt: '2026-03-02T10:31:00.000Z',
    });
    await settle();
    expect(cardIds('live-sessions')).toEqual(['new']);
    expect(cardIds('ended-sessions')).toEqual(['live', 'e50', 'e40']);
  });

  it('says so when an older page cannot be read, and keeps the button', async () => {
    olderButton()?.click();
    http
      .expectOne('/api/sessions?before=c1')
      .flush(
        { statusCode: 503, message: 'The database is busy' },
        { status: 503, statusText: 'Service Unavailable' },
      );
    await settle();
    expect(document.body.textContent).toContain('Older sessions could not be read');
    expect(olderButton()?.disabled).toBe(false);
  });
});
