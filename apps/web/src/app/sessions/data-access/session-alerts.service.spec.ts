import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter } from '@angular/router';
import { of } from 'rxjs';
import { runningSessionDto, sessionDto } from '../../../testing/session-dto.fixture';
import { AuthStore } from '../../shared/data-access/auth.store';
import { Clock } from '../../shared/data-access/clock';
import { minutesLeft } from '../../shared/data-access/time-format';
import { SessionAlerts, becameReady } from './session-alerts.service';
import { SessionStore } from '../../shared/data-access/session-store';

describe('SessionAlerts', () => {
  const NOW = Date.parse('2026-03-02T11:00:00.000Z');
  let open: jest.Mock;

  beforeEach(async () => {
    open = jest.fn(() => ({ onAction: () => of(), dismiss: jest.fn() }));
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: MatSnackBar, useValue: { open } },
      ],
    });
    TestBed.inject(Clock).tick(NOW);
    // The fixtures' sessions are alice's.
    const loaded = TestBed.inject(AuthStore).ensureLoaded();
    TestBed.inject(HttpTestingController)
      .expectOne('/api/auth/me')
      .flush({ username: 'alice', isAdmin: true, authMode: 'local', groups: [] });
    await loaded;
  });

  it('knows when a desktop became ready, and how long it has left', () => {
    expect(
      becameReady({ previous: sessionDto({ state: 'queued' }), current: runningSessionDto(NOW, 0) }),
    ).toBe(true);
    expect(becameReady({ previous: runningSessionDto(NOW, 1), current: runningSessionDto(NOW, 1) })).toBe(
      false,
    );
    expect(becameReady({ previous: undefined, current: runningSessionDto(NOW, 0) })).toBe(false);
    expect(minutesLeft(runningSessionDto(NOW, 45, { timeLimitMinutes: 60 }), NOW)).toBe(15);
  });

  it('toasts when a queued session starts running', () => {
    TestBed.inject(SessionAlerts);
    const store = TestBed.inject(SessionStore);
    store.apply(sessionDto({ state: 'queued' }));
    store.apply(runningSessionDto(NOW, 0, { updatedAt: '2026-03-02T11:00:00.000Z' }));
    expect(open).toHaveBeenCalledWith('Desktop is ready on viz01.', 'Open', expect.anything());
  });

  it('warns once, 15 minutes before the time limit', () => {
    TestBed.inject(SessionAlerts);
    const store = TestBed.inject(SessionStore);
    const clock = TestBed.inject(Clock);
    store.apply(runningSessionDto(NOW, 40, { timeLimitMinutes: 60 }));
    TestBed.tick();
    expect(open).not.toHaveBeenCalled();

    clock.tick(NOW + 6 * 60_000);
    TestBed.tick();
    expect(open).toHaveBeenCalledTimes(1);
    expect(open.mock.calls[0][0]).toContain('ends in 14 min');

    clock.tick(NOW + 7 * 60_000);
    TestBed.tick();
    expect(open).toHaveBeenCalledTimes(1);
  });

  it("says nothing of another user's session, which an administrator's store also holds", () => {
    TestBed.inject(SessionAlerts);
    const store = TestBed.inject(SessionStore);
    const clock = TestBed.inject(Clock);
    store.apply(sessionDto({ id: 'b1', owner: 'bob', state: 'queued' }));
    store.apply(runningSessionDto(NOW, 40, { id: 'b1', owner: 'bob', timeLimitMinutes: 60 }));
    clock.tick(NOW + 6 * 60_000);
    TestBed.tick();
    expect(open).not.toHaveBeenCalled();
  });
});
