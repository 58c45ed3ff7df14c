import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { SessionDto } from '@vizportal/session-domain';
import { runningSessionDto, sessionDto } from '../../../testing/session-dto.fixture';
import { SessionCardComponent } from './session-card.component';
import { required } from '../../../testing/dom';

const NOW = Date.parse('2026-03-02T11:00:00.000Z');

describe('SessionCardComponent', () => {
  let fixture: ComponentFixture<SessionCardComponent>;

  async function render(session: SessionDto): Promise<HTMLElement> {
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    fixture = TestBed.createComponent(SessionCardComponent);
    fixture.componentRef.setInput('session', session);
    fixture.componentRef.setInput('now', NOW);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  const buttons = (element: HTMLElement) =>
    [...element.querySelectorAll('mat-card-actions [data-testid]')].map((button) =>
      button.getAttribute('data-testid'),
    );

  it('queued: the reason and the expected start, and only Stop', async () => {
    const element = await render(
      sessionDto({
        state: 'queued',
        headline: 'Queued: waiting for resources',
        expectedStartAt: '2026-03-02T11:25:00.000Z',
        createdAt: '2026-03-02T10:50:00.000Z',
      }),
    );
    expect(element.querySelector('[data-testid=state-chip]')?.textContent).toContain('Queued');
    expect(element.querySelector('[data-testid=session-headline]')?.textContent).toContain(
      'waiting for resources',
    );
    expect(element.textContent).toContain('Expected to start');
    expect(element.textContent).toContain('Waiting for 10 min');
    expect(buttons(element)).toEqual(['stop', 'more-actions']);
  });

  it('starting: a progress bar while the desktop comes up', async () => {
    const element = await render(
      sessionDto({
        state: 'starting',
        node: 'viz02',
        headline: 'Starting on viz02',
        startedAt: '2026-03-02T10:59:00.000Z',
      }),
    );
    expect(element.querySelector('mat-progress-bar')?.getAttribute('mode')).toBe('indeterminate');
    expect(element.textContent).toContain('Waiting for the desktop to come up');
    expect(element.getAttribute('data-state')).toBe('starting');
  });

  it('running: node, time used and time left, and Open desktop', async () => {
    const element = await render(runningSessionDto(NOW, 25, { timeLimitMinutes: 120 }));
    expect(element.querySelector('[data-testid=session-node]')?.textContent).toBe('viz01');
    const facts = element.querySelector('.vp-facts')?.textContent ?? '';
    expect(facts).toContain('25 min');
    expect(facts).toContain('1 h 35 min');
    expect(buttons(element)).toEqual(['open-desktop', 'extend', 'stop', 'more-actions']);
    expect(element.querySelector('[data-testid=open-desktop]')?.getAttribute('href')).toBe(
      `/sessions/${runningSessionDto(NOW, 1).id}/desktop`,
    );
  });

  it('running near its limit: time left stands out', async () => {
    const element = await render(runningSessionDto(NOW, 50, { timeLimitMinutes: 60 }));
    expect(element.querySelector('.vp-urgent')?.textContent).toContain('10 min');
  });

  it('failed: why, the log tail, and Relaunch / Output log', async () => {
    const element = await render(
      sessionDto({
        state: 'failed',
        headline: 'Ended: the desktop did not start',
        message: 'Xvnc: fatal error\nno free display',
        endedAt: '2026-03-02T10:40:00.000Z',
        canStop: false,
        canDelete: true,
      }),
    );
    expect(element.querySelector('[data-testid=state-chip]')?.textContent).toContain('Failed');
    expect(element.querySelector('[data-testid=session-message]')?.textContent).toContain('no free display');
    expect(buttons(element)).toEqual(['relaunch', 'show-log', 'more-actions']);
  });

  it('cancelled: says it was stopped, and offers Relaunch', async () => {
    const element = await render(
      sessionDto({
        state: 'cancelled',
        headline: 'Ended: stopped by you',
        endReason: 'cancelled-by-user',
        canStop: false,
        canDelete: true,
        endedAt: '2026-03-02T10:40:00.000Z',
      }),
    );
    expect(element.querySelector('[data-testid=session-headline]')?.textContent).toContain('stopped by you');
    expect(buttons(element)).toEqual(['relaunch', 'more-actions']);
  });

  it('running without a time limit to extend: no More time', async () => {
    const element = await render(runningSessionDto(NOW, 5, { canExtend: false }));
    expect(buttons(element)).toEqual(['open-desktop', 'stop', 'more-actions']);
  });

  it('an idle stop ahead: says when, and Keep it running asks for it', async () => {
    const element = await render(
      runningSessionDto(NOW, 115, {
        idleStop: { at: '2026-03-02T11:05:00.000Z', reason: 'Stopped after 2 h without a connection.' },
      }),
    );
    expect(required(element, '[data-testid=session-idle-stop]').textContent).toContain(
      'Idle: will be stopped',
    );
    const kept = jest.fn();
    fixture.componentInstance.keep.subscribe(kept);
    required<HTMLButtonElement>(element, '[data-testid=keep-session]').click();
    expect(kept).toHaveBeenCalledTimes(1);
  });

  it('no idle stop ahead: no such line', async () => {
    const element = await render(runningSessionDto(NOW, 5));
    expect(element.querySelector('[data-testid=session-idle-stop]')).toBeNull();
  });

  it('More time offers half an hour, an hour and two, and sends the one chosen', async () => {
    const element = await render(runningSessionDto(NOW, 5));
    const extended = jest.fn();
    fixture.componentInstance.extend.subscribe(extended);
    required<HTMLButtonElement>(element, '[data-testid=extend]').click();
    await fixture.whenStable();
    const choices = [...document.querySelectorAll('[data-testid^=extend-]')].map((item) =>
      item.textContent?.trim(),
    );
    expect(choices).toEqual(['Add 30 min', 'Add 1 h', 'Add 2 h']);
    required<HTMLButtonElement>(document.body, '[data-testid=extend-60]').click();
    expect(extended).toHaveBeenCalledWith(60);
  });

  it('sends its actions out', async () => {
    const element = await render(runningSessionDto(NOW, 5));
    const stopped = jest.fn();
    fixture.componentInstance.stop.subscribe(stopped);
    required<HTMLButtonElement>(element, '[data-testid=stop]').click();
    expect(stopped).toHaveBeenCalled();
  });
});
