import { provideHttpClient } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  type TestRequest,
} from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import type { ClusterDto } from '@vizportal/session-domain';
import type { AuditEventDto } from '@vizportal/site-policy';
import { required } from '../../../testing/dom';
import { FakeSessionSocket } from '../../../testing/fake-session-socket';
import { runningSessionDto, sessionDto } from '../../../testing/session-dto.fixture';
import { AuthStore } from '../../shared/data-access/auth.store';
import { SESSION_SOCKET_FACTORY } from '../../shared/data-access/session-socket';
import { SessionStore } from '../../shared/data-access/session-store';
import type { AdminUser } from '../data-access/admin-api.service';
import { AdminPageComponent } from './admin-page.component';

const user = (overrides: Partial<AdminUser> = {}): AdminUser => ({
  username: 'bob',
  isAdmin: false,
  createdAt: '2026-11-28T10:00:00.000Z',
  groups: [],
  disabled: false,
  quotaOverride: null,
  ...overrides,
});

const event = (id: string, overrides: Partial<AuditEventDto> = {}): AuditEventDto => ({
  id,
  at: '2026-12-03T14:05:00.000Z',
  actor: 'alice',
  action: 'session.launch',
  outcome: 'ok',
  address: '192.0.2.10',
  sessionId: null,
  subject: null,
  details: {},
  ...overrides,
});

const CLUSTER: ClusterDto = {
  partitions: [
    {
      name: 'viz',
      isDefault: true,
      state: 'up',
      nodes: ['viz01', 'viz02'],
      maxTimeMinutes: 480,
      defaultTimeMinutes: 60,
      maxCpusPerNode: 16,
      maxMemoryPerNodeMb: 65536,
      gres: { gpu: '2' },
    },
  ],
  nodes: [
    {
      name: 'viz01',
      state: 'mixed',
      flags: [],
      usable: true,
      cpus: 16,
      allocatedCpus: 4,
      memoryMb: 65536,
      gres: 'gpu:2',
      partitions: ['viz'],
      reason: null,
    },
    {
      name: 'viz02',
      state: 'idle',
      flags: ['drain'],
      usable: false,
      cpus: 16,
      allocatedCpus: 0,
      memoryMb: 65536,
      gres: null,
      partitions: ['viz'],
      reason: 'fan broken',
    },
  ],
};

const NOW = Date.now();
const SESSIONS = [
  runningSessionDto(NOW, 30, {
    id: 's-alice',
    owner: 'alice',
    appTitle: 'Desktop',
    node: 'viz01',
    timeLimitMinutes: 120,
  }),
  sessionDto({ id: 's-bob', owner: 'bob', appTitle: 'ParaView', timeLimitMinutes: 60 }),
  sessionDto({ id: 's-old', owner: 'carol', state: 'completed', canStop: false, canDelete: true }),
];

describe('AdminPageComponent', () => {
  let fixture: ComponentFixture<AdminPageComponent>;
  let http: HttpTestingController;
  let element: HTMLElement;
  let socket: FakeSessionSocket;

  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
    fixture.detectChanges();
  };
  const rows = (testId: string) => [...element.querySelectorAll<HTMLElement>(`[data-testid=${testId}]`)];
  const openTab = async (testId: string) => {
    required(element, `[data-testid=${testId}]`).click();
    await settle();
  };
  const type = (selector: string, value: string) => {
    const input = required<HTMLInputElement>(element, selector);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  };
  const confirmDialog = async (answer: 'confirm' | 'cancel') => {
    await settle();
    const buttons = [...document.querySelectorAll<HTMLButtonElement>('mat-dialog-actions button')];
    const button = answer === 'confirm' ? buttons.find((b) => b.dataset['testid'] === 'confirm') : buttons[0];
    if (!button) throw new Error('no confirm dialog is open');
    button.click();
    await settle();
  };
  const auditRequest = () => http.expectOne((req) => req.url === '/api/admin/audit');

  async function render(
    me: { username: string; authMode: 'local' | 'header' },
    answerUsers: (request: TestRequest) => void = (request) =>
      request.flush([
        user({ username: 'root', isAdmin: true }),
        user(),
        user({ username: 'carol', groups: ['viz'], quotaOverride: { cpus: 8, gpus: null } }),
      ]),
  ): Promise<void> {
    socket = new FakeSessionSocket();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: SESSION_SOCKET_FACTORY, useValue: () => socket.asSocket() },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    const loaded = TestBed.inject(AuthStore).ensureLoaded();
    http.expectOne('/api/auth/me').flush({ ...me, isAdmin: true });
    await loaded;
    // The shell starts the store once the user is known; an admin's holds everyone's sessions.
    TestBed.inject(SessionStore).start();
    http.expectOne('/api/sessions').flush({ sessions: SESSIONS, nextBefore: 'c1' });
    socket.open();

    fixture = TestBed.createComponent(AdminPageComponent);
    element = fixture.nativeElement as HTMLElement;
    if (me.authMode === 'local') answerUsers(http.expectOne('/api/users'));
    http.expectOne('/api/cluster').flush(CLUSTER);
    auditRequest().flush({
      events: [
        event('e2', {
          action: 'session.stop',
          actor: 'root',
          subject: 'bob',
          sessionId: '22222222-2222-4222-8222-222222222222',
        }),
        event('e1', { action: 'login', outcome: 'refused', details: { reason: 'x'.repeat(200) } }),
      ],
      next: 'e1',
    });
    await settle();
  }

  afterEach(() => {
    http.verify();
    document.querySelectorAll('.cdk-overlay-container').forEach((container) => (container.innerHTML = ''));
  });

  describe('live sessions', () => {
    beforeEach(() => render({ username: 'root', authMode: 'local' }));

    it("lists every user's live sessions with app, state, node and time left, and leaves ended ones out", () => {
      expect(required(element, '[data-testid=admin-tab-sessions]').textContent).toContain(
        'Live sessions (2)',
      );
      const sessionRow = (id: string) =>
        required(element, `[data-testid=admin-session-row][data-session-id=${id}]`);
      const [alice, bob] = [sessionRow('s-alice'), sessionRow('s-bob')];
      expect(rows('admin-session-row')).toHaveLength(2);
      expect(alice.textContent).toContain('alice');
      expect(alice.textContent).toContain('Desktop');
      expect(alice.textContent).toContain('viz01');
      expect(alice.querySelector('vp-state-chip')?.getAttribute('data-state')).toBe('running');
      expect(alice.textContent).toMatch(/1 h (29|30) min/);
      expect(bob.textContent).toContain('bob');
      expect(bob.textContent).toContain('1 h once started');
    });

    it('follows the socket: a new session appears, an ended one goes, without a refresh', async () => {
      socket.receive(
        'session.updated',
        sessionDto({ id: 's-dan', owner: 'dan', appTitle: 'gedit', createdAt: new Date(NOW).toISOString() }),
      );
      socket.receive('session.updated', { ...SESSIONS[1], state: 'cancelled', canStop: false });
      await settle();
      expect(rows('admin-session-row').map((row) => row.dataset['sessionId'])).toEqual(['s-dan', 's-alice']);
      expect(required(element, '[data-testid=admin-tab-sessions]').textContent).toContain(
        'Live sessions (2)',
      );
      http.expectNone('/api/sessions');
    });

    it('shows who has each desktop open, live, with how many windows and since when', async () => {
      const viewersOf = (id: string) =>
        required(
          element,
          `[data-testid=admin-session-row][data-session-id=${id}] [data-testid=admin-session-viewers]`,
        );
      expect(viewersOf('s-alice').textContent?.trim()).toBe('No');

      socket.receive('session.viewers', {
        id: 's-alice',
        viewers: [
          { username: 'alice', openedAt: '2026-12-03T14:00:00.000Z' },
          { username: 'alice', openedAt: '2026-12-03T14:01:00.000Z' },
          { username: 'root', openedAt: '2026-12-03T14:02:00.000Z' },
        ],
      });
      await settle();
      expect(viewersOf('s-alice').textContent?.trim()).toBe('alice ×2, root');
      expect(viewersOf('s-alice').getAttribute('title')?.split('\n')).toHaveLength(3);
      expect(viewersOf('s-alice').getAttribute('title')).toContain('root since');

      socket.receive('session.viewers', { id: 's-alice', viewers: [] });
      await settle();
      expect(viewersOf('s-alice').textContent?.trim()).toBe('No');
    });

    it('stops a session after the admin confirms, and drops its row', async () => {
      required<HTMLButtonElement>(
        element,
        '[data-testid=admin-session-row][data-session-id=s-bob] [data-testid=admin-stop]',
      ).click();
      await confirmDialog('confirm');
      http
        .expectOne({ method: 'POST', url: '/api/sessions/s-bob/stop' })
        .flush(sessionDto({ id: 's-bob', owner: 'bob', state: 'cancelled', canStop: false }));
      await settle();
      expect(rows('admin-session-row').map((row) => row.dataset['sessionId'])).toEqual(['s-alice']);
      expect(document.body.textContent).toContain("bob's ParaView stopped.");
    });

    it('stops nothing when the admin cancels, and says why a stop was refused', async () => {
      const stopAlice = () =>
        required<HTMLButtonElement>(
          element,
          '[data-testid=admin-session-row][data-session-id=s-alice] [data-testid=admin-stop]',
        );
      stopAlice().click();
      await confirmDialog('cancel');
      http.expectNone('/api/sessions/s-alice/stop');

      stopAlice().click();
      await confirmDialog('confirm');
      expect(stopAlice().disabled).toBe(true);
      http
        .expectOne('/api/sessions/s-alice/stop')
        .flush({ message: 'Slurm is not answering' }, { status: 503, statusText: 'Service Unavailable' });
      await settle();
      expect(document.body.textContent).toContain('Could not stop it: Slurm is not answering');
      expect(rows('admin-session-row')).toHaveLength(2);
      expect(stopAlice().disabled).toBe(false);
    });
  });

  describe('users (local accounts)', () => {
    beforeEach(async () => {
      await render({ username: 'root', authMode: 'local' });
      await openTab('admin-tab-users');
    });
    const row = (username: string) =>
      required(element, `[data-testid=admin-user-row][data-username=${username}]`);
    const toggle = (username: string, testId: string) =>
      required<HTMLButtonElement>(row(username), `[data-testid=${testId}] button`);

    it('lists the accounts with their groups and quota override, and keeps an admin from locking themself out', () => {
      expect(rows('admin-user-row').map((r) => r.dataset['username'])).toEqual(['root', 'bob', 'carol']);
      expect(row('root').textContent).toContain('you');
      expect(toggle('root', 'admin-user-disable').disabled).toBe(true);
      expect(toggle('root', 'admin-user-admin').disabled).toBe(true);
      expect(row('bob').querySelector('[data-testid=admin-user-quota]')?.textContent).toContain(
        'site policy',
      );
      expect(row('carol').textContent).toContain('viz');
      expect(row('carol').querySelector('[data-testid=admin-user-quota]')?.textContent?.trim()).toBe(
        'CPUs 8 · GPUs no limit',
      );
    });

    it('disables an account after confirming, and leaves it when the admin cancels', async () => {
      toggle('bob', 'admin-user-disable').click();
      await confirmDialog('cancel');
      http.expectNone('/api/users/bob');
      expect(toggle('bob', 'admin-user-disable').getAttribute('aria-checked')).toBe('false');

      toggle('bob', 'admin-user-disable').click();
      await confirmDialog('confirm');
      const patch = http.expectOne({ method: 'PATCH', url: '/api/users/bob' });
      expect(patch.request.body).toEqual({ disabled: true });
      patch.flush(user({ disabled: true }));
      await settle();
      expect(row('bob').classList).toContain('vp-off');
      expect(toggle('bob', 'admin-user-disable').getAttribute('aria-checked')).toBe('true');
    });

    it('makes an account admin, and turns the toggle back when the API refuses', async () => {
      toggle('bob', 'admin-user-admin').click();
      await settle();
      http
        .expectOne({ method: 'PATCH', url: '/api/users/bob' })
        .flush({ message: 'Only an administrator may do this' }, { status: 403, statusText: 'Forbidden' });
      await settle();
      expect(toggle('bob', 'admin-user-admin').getAttribute('aria-checked')).toBe('false');
      expect(document.body.textContent).toContain(
        'bob could not be changed: Only an administrator may do this',
      );

      toggle('bob', 'admin-user-admin').click();
      await settle();
      const patch = http.expectOne({ method: 'PATCH', url: '/api/users/bob' });
      expect(patch.request.body).toEqual({ isAdmin: true });
      patch.flush(user({ isAdmin: true }));
      await settle();
      expect(toggle('bob', 'admin-user-admin').getAttribute('aria-checked')).toBe('true');
    });

    it('creates an account, and shows why one was refused', async () => {
      type('[data-testid=admin-new-username]', 'bob');
      type('[data-testid=admin-new-password]', 'a long passphrase');
      required(element, '[data-testid=admin-create-user]').dispatchEvent(new Event('submit'));
      await settle();
      http
        .expectOne({ method: 'POST', url: '/api/users' })
        .flush({ message: 'The user name "bob" is already taken' }, { status: 409, statusText: 'Conflict' });
      await settle();
      expect(required(element, '[data-testid=admin-create-error]').textContent).toContain('already taken');

      type('[data-testid=admin-new-username]', 'ann');
      required(element, '[data-testid=admin-create-user]').dispatchEvent(new Event('submit'));
      await settle();
      const create = http.expectOne({ method: 'POST', url: '/api/users' });
      expect(create.request.body).toEqual({ username: 'ann', password: 'a long passphrase', isAdmin: false });
      create.flush(user({ username: 'ann' }));
      await settle();
      expect(rows('admin-user-row').map((r) => r.dataset['username'])).toEqual([
        'ann',
        'bob',
        'carol',
        'root',
      ]);
      expect(element.querySelector('[data-testid=admin-create-error]')).toBeNull();
      expect(required<HTMLInputElement>(element, '[data-testid=admin-new-username]').value).toBe('');
    });

    it('does not create an account without a name and a password', async () => {
      type('[data-testid=admin-new-username]', 'ann');
      required(element, '[data-testid=admin-create-user]').dispatchEvent(new Event('submit'));
      await settle();
      http.expectNone('/api/users');
    });

    it('edits groups and the quota override, sending only what changed; blank is the site policy', async () => {
      required(row('carol'), '[data-testid=admin-user-edit]').click();
      await settle();
      expect(required<HTMLInputElement>(element, '[data-testid=admin-user-groups]').value).toBe('viz');
      expect(required<HTMLInputElement>(element, '[data-testid=admin-quota-cpus]').value).toBe('8');
      expect(required<HTMLInputElement>(element, '[data-testid=admin-quota-gpus]').disabled).toBe(true);

      type('[data-testid=admin-user-groups]', 'viz, gpu-users,, viz');
      type('[data-testid=admin-quota-cpus]', '');
      type('[data-testid=admin-quota-sessionHours]', '12.5');
      required(element, '[data-testid=admin-user-save]').click();
      await settle();
      const patch = http.expectOne({ method: 'PATCH', url: '/api/users/carol' });
      expect(patch.request.body).toEqual({
        groups: ['viz', 'gpu-users'],
        quotaOverride: { gpus: null, sessionHours: 12.5 },
      });
      patch.flush(
        user({
          username: 'carol',
          groups: ['gpu-users', 'viz'],
          quotaOverride: { gpus: null, sessionHours: 12.5 },
        }),
      );
      await settle();
      expect(element.querySelector('[data-testid=admin-user-groups]')).toBeNull();
      expect(row('carol').textContent).toContain('gpu-users, viz');
      expect(row('carol').textContent).toContain('GPUs no limit · hours 12.5');
    });

    it('refuses a fractional CPU count before asking the API, and saves nothing when nothing changed', async () => {
      required(row('bob'), '[data-testid=admin-user-edit]').click();
      await settle();
      type('[data-testid=admin-quota-cpus]', '1.5');
      required(element, '[data-testid=admin-user-save]').click();
      await settle();
      http.expectNone('/api/users/bob');
      expect(element.textContent).toContain('A whole number, 0 or more');

      type('[data-testid=admin-quota-cpus]', '');
      required(element, '[data-testid=admin-user-save]').click();
      await settle();
      http.expectNone('/api/users/bob');
      expect(element.querySelector('[data-testid=admin-user-groups]')).toBeNull();
    });

    it('ticks "no limit" for a quota, and "Clear override" sends null', async () => {
      required(row('bob'), '[data-testid=admin-user-edit]').click();
      await settle();
      expect(required<HTMLButtonElement>(element, '[data-testid=admin-user-clear-override]').disabled).toBe(
        true,
      );
      required(element, '[data-testid=admin-unlimited-liveSessions] input').click();
      await settle();
      expect(required<HTMLInputElement>(element, '[data-testid=admin-quota-liveSessions]').disabled).toBe(
        true,
      );
      required(element, '[data-testid=admin-user-save]').click();
      await settle();
      const patch = http.expectOne({ method: 'PATCH', url: '/api/users/bob' });
      expect(patch.request.body).toEqual({ quotaOverride: { liveSessions: null } });
      patch.flush(user({ quotaOverride: { liveSessions: null } }));
      await settle();

      required(row('bob'), '[data-testid=admin-user-edit]').click();
      await settle();
      required(element, '[data-testid=admin-user-clear-override]').click();
      await settle();
      const clear = http.expectOne({ method: 'PATCH', url: '/api/users/bob' });
      expect(clear.request.body).toEqual({ quotaOverride: null });
      clear.flush(user());
      await settle();
      expect(row('bob').querySelector('[data-testid=admin-user-quota]')?.textContent).toContain(
        'site policy',
      );
    });
  });

  describe('header mode', () => {
    it('does not ask for accounts, and says where they live', async () => {
      await render({ username: 'root', authMode: 'header' });
      await openTab('admin-tab-users');
      expect(element.textContent).toContain('Accounts live with your single sign-on provider');
      expect(rows('admin-user-row')).toHaveLength(0);
    });

    it('says the same when /api/users answers 404', async () => {
      await render({ username: 'root', authMode: 'local' }, (request) =>
        request.flush({ message: 'AUTH_MODE=header' }, { status: 404, statusText: 'Not Found' }),
      );
      await openTab('admin-tab-users');
      expect(element.textContent).toContain('Accounts live with your single sign-on provider');
      expect(element.querySelector('[data-testid=admin-create-user]')).toBeNull();
    });
  });

  describe('cluster', () => {
    it('lists partitions and nodes', async () => {
      await render({ username: 'root', authMode: 'local' });
      await openTab('admin-tab-cluster');
      const partitions = required(element, '[data-testid=partitions]').textContent ?? '';
      expect(partitions).toContain('viz');
      expect(partitions).toContain('default');
      expect(partitions).toContain('up to 8 h');
      expect(partitions).toContain('gpu:2');
      const nodes = [...required(element, '[data-testid=nodes]').querySelectorAll('tbody tr')];
      expect(nodes[0].textContent).toContain('4 / 16');
      expect(nodes[0].textContent).toContain('64 GB');
      expect(nodes[1].textContent).toContain('idle, drain');
      expect(nodes[1].textContent).toContain('fan broken');
      expect(nodes[1].classList).toContain('vp-off');
    });
  });

  describe('audit log', () => {
    beforeEach(async () => {
      await render({ username: 'root', authMode: 'local' });
      await openTab('admin-tab-audit');
    });
    const csvHref = () =>
      required<HTMLAnchorElement>(element, '[data-testid=admin-audit-csv]').getAttribute('href');

    it('shows the newest events, details shortened, and "Older" appends the next page', async () => {
      const [stop, login] = rows('admin-audit-row');
      expect(stop.textContent).toContain('root');
      expect(stop.textContent).toContain('session.stop');
      expect(stop.textContent).toContain('bob');
      expect(stop.textContent).toContain('22222222');
      expect(login.textContent).toContain('refused');
      expect(login.textContent).toContain('192.0.2.10');
      const details = required(login, '.vp-details');
      expect(details.textContent?.trim()).toHaveLength(80);
      expect(details.textContent?.trim().endsWith('…')).toBe(true);
      expect(details.getAttribute('title')).toContain('x'.repeat(200));
      expect(csvHref()).toBe('/api/admin/audit?limit=1000&format=csv');

      required(element, '[data-testid=admin-audit-older]').click();
      await settle();
      const older = auditRequest();
      expect(older.request.params.get('before')).toBe('e1');
      older.flush({ events: [event('e0', { actor: 'carol' })], next: null });
      await settle();
      expect(rows('admin-audit-row')).toHaveLength(3);
      expect(rows('admin-audit-row')[2].textContent).toContain('carol');
      expect(element.querySelector('[data-testid=admin-audit-older]')).toBeNull();
    });

    it('searches with the filters, and the CSV link follows them', async () => {
      type('[data-testid=admin-audit-user]', 'bob');
      const action = required<HTMLSelectElement>(element, '[data-testid=admin-audit-action]');
      action.selectedIndex = [...action.options].findIndex(
        (option) => option.textContent?.trim() === 'session.stop',
      );
      action.dispatchEvent(new Event('change'));
      const outcome = required<HTMLSelectElement>(element, '[data-testid=admin-audit-outcome]');
      outcome.selectedIndex = [...outcome.options].findIndex(
        (option) => option.textContent?.trim() === 'refused',
      );
      outcome.dispatchEvent(new Event('change'));
      type('[data-testid=admin-audit-session]', '22222222-2222-4222-8222-222222222222');
      type('[data-testid=admin-audit-from]', '2026-12-01T09:30');
      required(element, '[data-testid=admin-audit-filters]').dispatchEvent(new Event('submit'));
      await settle();

      const search = auditRequest();
      const from = new Date('2026-12-01T09:30').toISOString();
      expect(search.request.params.get('user')).toBe('bob');
      expect(search.request.params.get('action')).toBe('session.stop');
      expect(search.request.params.get('outcome')).toBe('refused');
      expect(search.request.params.get('session')).toBe('22222222-2222-4222-8222-222222222222');
      expect(search.request.params.get('from')).toBe(from);
      expect(search.request.params.has('to')).toBe(false);
      search.flush({ events: [], next: null });
      await settle();
      expect(rows('admin-audit-row')).toHaveLength(0);
      expect(element.textContent).toContain('No event matches.');
      const href = new URL(csvHref() ?? '', 'http://portal');
      expect(href.pathname).toBe('/api/admin/audit');
      expect(Object.fromEntries(href.searchParams)).toEqual({
        user: 'bob',
        action: 'session.stop',
        outcome: 'refused',
        session: '22222222-2222-4222-8222-222222222222',
        from,
        limit: '1000',
        format: 'csv',
      });
    });

    it("shows the API's words for a refused filter", async () => {
      type('[data-testid=admin-audit-session]', 'not-a-uuid');
      required(element, '[data-testid=admin-audit-filters]').dispatchEvent(new Event('submit'));
      await settle();
      auditRequest().flush(
        { statusCode: 400, message: ['session must be a session id'] },
        { status: 400, statusText: 'Bad Request' },
      );
      await settle();
      expect(required(element, '[role=alert]').textContent).toContain('session must be a session id');
    });
  });
});
