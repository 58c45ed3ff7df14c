import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { Router, provideRouter } from '@angular/router';
import type { AppDto, LaunchSettingsDto } from '@vizportal/session-domain';
import type { QuotaReportDto } from '@vizportal/site-policy';
import { required } from '../../../testing/dom';
import { sessionDto } from '../../../testing/session-dto.fixture';
import { LaunchPageComponent } from './launch-page.component';

const DESKTOP: AppDto = {
  id: 'desktop',
  title: 'Desktop',
  description: 'A full desktop',
  icon: 'desktop_windows',
  category: 'Desktops',
  form: [{ id: 'cpus', type: 'number', label: 'CPUs', default: 2, min: 1, max: 4, step: 1 }],
};

const quotaReport = (liveSessions: number): QuotaReportDto => ({
  username: 'alice',
  quotas: [
    { quota: 'liveSessions', label: 'Sessions running or waiting', used: liveSessions, limit: 2 },
    { quota: 'cpus', label: 'CPUs in live sessions', used: 4, limit: null },
  ],
});

const QUOTA_MESSAGE = 'You have 2 sessions running or waiting; the limit is 2. Stop one to start another.';
const FORBIDDEN_MESSAGE =
  'MATLAB is limited by your site to members of licensed. Ask your portal administrator if you need it.';

describe('LaunchPageComponent', () => {
  let fixture: ComponentFixture<LaunchPageComponent>;
  let http: HttpTestingController;
  let element: HTMLElement;
  let navigate: jest.SpyInstance;

  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  };

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
  });

  afterEach(() => http.verify());

  /**
   * Opens /apps/:appId with the catalog, the cluster, the quotas and (for an app in the catalog) the
   * user's saved settings as the API answers them.
   */
  async function open(
    appId: string,
    apps: AppDto[] = [DESKTOP],
    quotas = quotaReport(1),
    settings: LaunchSettingsDto = { appId, last: null, presets: [] },
  ): Promise<void> {
    fixture = TestBed.createComponent(LaunchPageComponent);
    fixture.componentRef.setInput('appId', appId);
    element = fixture.nativeElement as HTMLElement;
    http.expectOne({ method: 'GET', url: '/api/apps' }).flush(apps);
    http.expectOne('/api/cluster').flush({ partitions: [], nodes: [] });
    http.expectOne({ method: 'GET', url: '/api/quotas/mine' }).flush(quotas);
    await settle();
    if (apps.some((app) => app.id === appId)) {
      http.expectOne({ method: 'GET', url: `/api/apps/${appId}/settings` }).flush(settings);
      await settle();
    }
  }

  const unavailable = () => element.querySelector<HTMLElement>('[data-testid=app-unavailable]');
  const problem = () => element.querySelector<HTMLElement>('[data-testid=launch-problem]');

  async function launchAnswered(body: unknown, status: number, statusText: string): Promise<void> {
    required<HTMLButtonElement>(element, '[data-testid=launch-submit]').click();
    await settle();
    const request = http.expectOne({ method: 'POST', url: '/api/sessions' });
    expect(request.request.body).toEqual({ appId: 'desktop', values: { cpus: 2 } });
    request.flush(body, { status, statusText });
    await settle();
  }

  describe('an app in the catalog', () => {
    it("shows its form and the user's quotas, and no unavailable notice", async () => {
      await open('desktop');
      expect(required(element, 'h1').textContent).toBe('Desktop');
      expect(element.querySelector('[data-testid=launch-form]')).not.toBeNull();
      expect(required(element, '[data-quota=liveSessions]').textContent).toContain('1 of 2');
      expect(element.querySelector('[data-quota=cpus]')).toBeNull();
      expect(unavailable()).toBeNull();
    });

    it('goes to the new session on success, and reads the quotas again', async () => {
      await open('desktop');
      required<HTMLButtonElement>(element, '[data-testid=launch-submit]').click();
      await settle();
      http.expectOne({ method: 'POST', url: '/api/sessions' }).flush(sessionDto({ id: 's-new' }));
      await settle();
      expect(navigate).toHaveBeenCalledWith(['/sessions'], { queryParams: { highlight: 's-new' } });
      http.expectOne('/api/quotas/mine').flush(quotaReport(2));
      await settle();
      expect(required(element, '[data-quota=liveSessions]').textContent).toContain('2 of 2');
      expect(problem()).toBeNull();
    });

    it("titles a 409 'Over your quota' with the API's sentence, says nothing was submitted, and shows the quotas read afresh", async () => {
      await open('desktop');
      await launchAnswered(
        { statusCode: 409, error: 'Quota Exceeded', message: QUOTA_MESSAGE },
        409,
        'Conflict',
      );

      const shown = required(element, '[data-testid=launch-problem]');
      expect(shown.getAttribute('role')).toBe('alert');
      expect(required(shown, 'strong').textContent?.trim()).toBe('Over your quota');
      expect(required(shown, 'pre').textContent).toBe(`${QUOTA_MESSAGE}\nNothing was submitted.`);
      expect(navigate).not.toHaveBeenCalled();
      expect(required<HTMLButtonElement>(element, '[data-testid=launch-submit]').disabled).toBe(false);

      http.expectOne({ method: 'GET', url: '/api/quotas/mine' }).flush(quotaReport(2));
      await settle();
      const live = required(element, '[data-quota=liveSessions]');
      expect(live.textContent).toContain('2 of 2');
      expect(live.classList).toContain('vp-full');
    });

    it("titles a 403 'Not allowed' with the API's sentence and says nothing was submitted", async () => {
      await open('desktop');
      await launchAnswered(
        {
          statusCode: 403,
          error: 'Forbidden',
          message: 'The partition gpu is limited by your site to members of gpu-users.',
        },
        403,
        'Forbidden',
      );

      const shown = required(element, '[data-testid=launch-problem]');
      expect(required(shown, 'strong').textContent?.trim()).toBe('Not allowed');
      expect(required(shown, 'pre').textContent).toBe(
        'The partition gpu is limited by your site to members of gpu-users.\nNothing was submitted.',
      );
      expect(shown.textContent).not.toContain('Over your quota');
      expect(navigate).not.toHaveBeenCalled();
      http.expectOne('/api/quotas/mine').flush(quotaReport(1));
      await settle();
    });

    it('replaces one refusal with the next: a 409, then a 403', async () => {
      await open('desktop');
      await launchAnswered({ message: QUOTA_MESSAGE }, 409, 'Conflict');
      http.expectOne('/api/quotas/mine').flush(quotaReport(2));
      await settle();
      expect(problem()?.textContent).toContain('Over your quota');

      await launchAnswered({ message: 'Root may not launch desktops.' }, 403, 'Forbidden');
      http.expectOne('/api/quotas/mine').flush(quotaReport(2));
      await settle();
      expect(required(problem() as HTMLElement, 'strong').textContent?.trim()).toBe('Not allowed');
      expect(problem()?.textContent).toContain('Root may not launch desktops.');
      expect(problem()?.textContent).not.toContain('Over your quota');
      expect(problem()?.textContent).not.toContain(QUOTA_MESSAGE);
    });

    it('keeps other refusals under their own titles', async () => {
      await open('desktop');
      await launchAnswered({ message: 'Slurm did not answer' }, 503, 'Service Unavailable');
      http.expectOne('/api/quotas/mine').flush(quotaReport(1));
      await settle();
      expect(required(problem() as HTMLElement, 'strong').textContent?.trim()).toBe('Slurm is not answering');
      expect(problem()?.textContent).not.toContain('Over your quota');
      expect(problem()?.textContent).not.toContain('Not allowed');
    });
  });

  describe('saved settings', () => {
    const PARAVIEW: AppDto = {
      ...DESKTOP,
      id: 'paraview',
      title: 'ParaView',
      form: [
        { id: 'cpus', type: 'number', label: 'CPUs', default: 2, min: 1, max: 8, step: 1 },
        { id: 'hours', type: 'number', label: 'Time limit (hours)', default: 1, min: 0.5, max: 4, step: 0.5 },
      ],
    };
    const input = (id: string) => required<HTMLInputElement>(element, `[data-testid=field-${id}]`);
    const note = () => element.querySelector<HTMLElement>('[data-testid=settings-note]');
    /** Opens the Presets menu; its items are in the overlay, outside the component. */
    async function openMenu(): Promise<void> {
      required<HTMLButtonElement>(element, '[data-testid=presets-button]').click();
      await settle();
    }
    const menuItem = (selector: string) => required<HTMLButtonElement>(document.body, selector);
    const preset = (name: string, values: Record<string, number>, problems: string[] = []) => ({
      name,
      values,
      savedAt: '2026-12-03T14:05:00.000Z',
      problems,
    });

    it('starts the form from the last values that still fit, and names the one reset to its default', async () => {
      await open('paraview', [PARAVIEW], quotaReport(0), {
        appId: 'paraview',
        last: { cpus: 6, hours: 6 },
        presets: [],
      });
      expect(input('cpus').value).toBe('6');
      expect(input('hours').value).toBe('1');
      expect(note()?.textContent).toContain(
        "Your last values for Time limit (hours) no longer fit this app's form: it starts from the default.",
      );
    });

    it('says nothing when the last values all fit', async () => {
      await open('paraview', [PARAVIEW], quotaReport(0), {
        appId: 'paraview',
        last: { cpus: 3 },
        presets: [],
      });
      expect(input('cpus').value).toBe('3');
      expect(note()).toBeNull();
    });

    it("applies a preset's fitting values, keeps the rest as they were, and shows its problems", async () => {
      await open('paraview', [PARAVIEW], quotaReport(0), {
        appId: 'paraview',
        last: null,
        presets: [preset('big', { cpus: 16, hours: 4 }, ['CPUs must be at most 8 (saved: 16).'])],
      });
      await openMenu();
      menuItem('[data-testid=preset-apply][data-preset=big]').click();
      await settle();
      expect(input('cpus').value).toBe('2');
      expect(input('hours').value).toBe('4');
      const shown = note()?.textContent ?? '';
      expect(shown).toContain('Preset "big" no longer fits this app as saved:');
      expect(shown).toContain('CPUs must be at most 8 (saved: 16).');
      expect(shown).toContain('Not applied, kept as it was: CPUs.');
    });

    it('applies a preset that fits as it is', async () => {
      await open('paraview', [PARAVIEW], quotaReport(0), {
        appId: 'paraview',
        last: null,
        presets: [preset('quick', { cpus: 1, hours: 0.5 })],
      });
      await openMenu();
      menuItem('[data-testid=preset-apply][data-preset=quick]').click();
      await settle();
      expect(input('cpus').value).toBe('1');
      expect(input('hours').value).toBe('0.5');
      expect(note()?.textContent).toContain('Preset "quick" applied.');
    });

    it("saves the form's values under a name, and lists the preset", async () => {
      await open('paraview', [PARAVIEW], quotaReport(0));
      await openMenu();
      menuItem('[data-testid=preset-save-as]').click();
      await settle();
      const name = required<HTMLInputElement>(element, '[data-testid=preset-name]');
      name.value = 'quick desktop';
      name.dispatchEvent(new Event('input'));
      required<HTMLButtonElement>(element, '[data-testid=preset-name-save]').click();
      await settle();
      const request = http.expectOne({ method: 'PUT', url: '/api/apps/paraview/presets/quick%20desktop' });
      expect(request.request.body).toEqual({ values: { cpus: 2, hours: 1 } });
      request.flush(preset('quick desktop', { cpus: 2, hours: 1 }));
      await settle();
      expect(note()?.textContent).toContain('Saved as preset "quick desktop".');
      await openMenu();
      expect(menuItem('[data-testid=preset-apply][data-preset="quick desktop"]')).toBeTruthy();
    });

    it('does not send a name that breaks the rule', async () => {
      await open('paraview', [PARAVIEW], quotaReport(0));
      await openMenu();
      menuItem('[data-testid=preset-save-as]').click();
      await settle();
      const name = required<HTMLInputElement>(element, '[data-testid=preset-name]');
      name.value = 'big/small';
      name.dispatchEvent(new Event('input'));
      required<HTMLButtonElement>(element, '[data-testid=preset-name-save]').click();
      await settle();
      http.expectNone({ method: 'PUT' });
      expect(element.querySelector('[data-testid=preset-name-form]')).not.toBeNull();
    });

    it("shows the API's sentence when it refuses the preset", async () => {
      await open('paraview', [PARAVIEW], quotaReport(0));
      await openMenu();
      menuItem('[data-testid=preset-save-as]').click();
      await settle();
      const name = required<HTMLInputElement>(element, '[data-testid=preset-name]');
      name.value = 'one more';
      name.dispatchEvent(new Event('input'));
      required<HTMLButtonElement>(element, '[data-testid=preset-name-save]').click();
      await settle();
      http
        .expectOne({ method: 'PUT', url: '/api/apps/paraview/presets/one%20more' })
        .flush(
          { statusCode: 409, message: 'You have 20 presets for ParaView, the most there may be.' },
          { status: 409, statusText: 'Conflict' },
        );
      await settle();
      expect(note()?.textContent).toContain(
        'The preset was not saved: You have 20 presets for ParaView, the most there may be.',
      );
    });

    it('deletes a preset from the menu', async () => {
      await open('paraview', [PARAVIEW], quotaReport(0), {
        appId: 'paraview',
        last: null,
        presets: [preset('big', { cpus: 8 }), preset('quick', { cpus: 1 })],
      });
      await openMenu();
      menuItem('[data-testid=preset-delete-menu]').click();
      await settle();
      menuItem('[data-testid=preset-delete][data-preset=big]').click();
      await settle();
      http.expectOne({ method: 'DELETE', url: '/api/apps/paraview/presets/big' }).flush(null, {
        status: 204,
        statusText: 'No Content',
      });
      await settle();
      expect(note()?.textContent).toContain('Preset "big" deleted.');
      await openMenu();
      expect(document.body.querySelector('[data-testid=preset-apply][data-preset=big]')).toBeNull();
      expect(document.body.querySelector('[data-testid=preset-apply][data-preset=quick]')).not.toBeNull();
    });
  });

  describe('a deep link to an app not in the catalog', () => {
    it('asks the API why, and shows its 403 sentence in the unavailable notice instead of a form', async () => {
      await open('matlab');
      expect(unavailable()?.textContent).toContain('Checking…');
      expect(element.querySelector('[data-testid=launch-form]')).toBeNull();

      http
        .expectOne({ method: 'GET', url: '/api/apps/matlab' })
        .flush(
          { statusCode: 403, error: 'Forbidden', message: FORBIDDEN_MESSAGE },
          { status: 403, statusText: 'Forbidden' },
        );
      await settle();

      const notice = required(element, '[data-testid=app-unavailable]');
      expect(notice.textContent).toContain('You cannot launch this app');
      expect(notice.textContent).toContain(FORBIDDEN_MESSAGE);
      expect(notice.textContent).not.toContain('Checking…');
      expect(required(notice, 'a').getAttribute('href')).toBe('/apps');
      expect(element.querySelector('[data-testid=launch-form]')).toBeNull();
      expect(element.querySelector('[data-testid=quota-usage]')).toBeNull();
    });

    it("shows the API's 404 sentence for an app the site does not have", async () => {
      await open('nope');
      http
        .expectOne('/api/apps/nope')
        .flush(
          { statusCode: 404, error: 'Not Found', message: 'There is no app "nope" in the catalog' },
          { status: 404, statusText: 'Not Found' },
        );
      await settle();
      expect(unavailable()?.textContent).toContain('There is no app "nope" in the catalog');
    });

    it('does not ask about an app the catalog has', async () => {
      await open('desktop');
      http.expectNone('/api/apps/desktop');
      expect(unavailable()).toBeNull();
    });

    it('shows nothing until the catalog has been read', async () => {
      fixture = TestBed.createComponent(LaunchPageComponent);
      fixture.componentRef.setInput('appId', 'matlab');
      element = fixture.nativeElement as HTMLElement;
      await fixture.whenStable();
      expect(unavailable()).toBeNull();
      http.expectNone('/api/apps/matlab');
      http.expectOne('/api/apps').flush([DESKTOP]);
      http.expectOne('/api/cluster').flush({ partitions: [], nodes: [] });
      http.expectOne('/api/quotas/mine').flush(quotaReport(0));
      await settle();
      http.expectNone('/api/apps/matlab/settings');
      http
        .expectOne('/api/apps/matlab')
        .flush({ message: FORBIDDEN_MESSAGE }, { status: 403, statusText: 'Forbidden' });
      await settle();
      expect(unavailable()?.textContent).toContain(FORBIDDEN_MESSAGE);
    });
  });
});
