import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { AuditEventDto } from '@vizportal/site-policy';
import { AdminApi, type AdminUser } from './admin-api.service';

const adminUser = (overrides: Partial<AdminUser> = {}): AdminUser => ({
  username: 'bob',
  isAdmin: false,
  createdAt: '2026-11-28T10:00:00.000Z',
  groups: [],
  disabled: false,
  quotaOverride: null,
  ...overrides,
});

const auditEvent = (id: string, overrides: Partial<AuditEventDto> = {}): AuditEventDto => ({
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

describe('AdminApi', () => {
  let api: AdminApi;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    api = TestBed.inject(AdminApi);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  describe('accounts', () => {
    it('lists, creates (in name order) and changes accounts', async () => {
      const reading = api.refreshUsers();
      http
        .expectOne({ method: 'GET', url: '/api/users' })
        .flush([adminUser({ username: 'alice' }), adminUser()]);
      await reading;
      expect(api.users()?.map((u) => u.username)).toEqual(['alice', 'bob']);

      const creating = api.createUser({ username: 'ann', password: 'a long passphrase', isAdmin: true });
      const create = http.expectOne({ method: 'POST', url: '/api/users' });
      expect(create.request.body).toEqual({ username: 'ann', password: 'a long passphrase', isAdmin: true });
      create.flush(adminUser({ username: 'ann', isAdmin: true }));
      await creating;
      expect(api.users()?.map((u) => u.username)).toEqual(['alice', 'ann', 'bob']);

      const updating = api.updateUser('bob', { disabled: true, quotaOverride: { cpus: 8, gpus: null } });
      const patch = http.expectOne({ method: 'PATCH', url: '/api/users/bob' });
      expect(patch.request.body).toEqual({ disabled: true, quotaOverride: { cpus: 8, gpus: null } });
      patch.flush(adminUser({ disabled: true, quotaOverride: { cpus: 8, gpus: null } }));
      await updating;
      expect(api.users()?.find((u) => u.username === 'bob')).toMatchObject({
        disabled: true,
        quotaOverride: { cpus: 8, gpus: null },
      });
    });

    it('takes a 404 from /api/users for "accounts live with the single sign-on provider"', async () => {
      const reading = api.refreshUsers();
      http
        .expectOne('/api/users')
        .flush(
          { message: 'This portal signs users in through its single sign-on proxy' },
          { status: 404, statusText: 'Not Found' },
        );
      await reading;
      expect(api.accountsElsewhere()).toBe(true);
      expect(api.usersError()).toBeNull();
      expect(api.users()).toBeNull();
    });

    it('lets a refused creation throw with the API’s words, and keeps the list', async () => {
      const creating = api.createUser({ username: 'bob', password: 'a long passphrase' });
      http
        .expectOne('/api/users')
        .flush(
          { statusCode: 409, message: 'The user name "bob" is already taken' },
          { status: 409, statusText: 'Conflict' },
        );
      await expect(creating).rejects.toMatchObject({ status: 409 });
      expect(api.users()).toBeNull();
    });
  });

  describe('audit log', () => {
    it('sends only the filters that are set, and pages older with the same filters', async () => {
      const searching = api.searchAudit({
        user: ' alice ',
        action: 'session.stop',
        session: '',
        from: '2026-12-01T00:00:00.000Z',
      });
      const first = http.expectOne((req) => req.url === '/api/admin/audit');
      expect(first.request.params.keys().sort()).toEqual(['action', 'from', 'user']);
      expect(first.request.params.get('user')).toBe('alice');
      expect(first.request.params.get('action')).toBe('session.stop');
      expect(first.request.params.get('from')).toBe('2026-12-01T00:00:00.000Z');
      first.flush({ events: [auditEvent('e2'), auditEvent('e1')], next: 'e1' });
      await searching;
      expect(api.auditEvents()?.map((e) => e.id)).toEqual(['e2', 'e1']);
      expect(api.auditNext()).toBe('e1');

      const older = api.olderAudit();
      expect(api.auditLoading()).toBe(true);
      const second = http.expectOne((req) => req.url === '/api/admin/audit');
      expect(second.request.params.get('before')).toBe('e1');
      expect(second.request.params.get('user')).toBe('alice');
      second.flush({ events: [auditEvent('e0')], next: null });
      await older;
      expect(api.auditEvents()?.map((e) => e.id)).toEqual(['e2', 'e1', 'e0']);
      expect(api.auditNext()).toBeNull();
      expect(api.auditLoading()).toBe(false);

      await api.olderAudit(); // nothing older: no request (verify() checks)
    });

    it('drops the answer of a search overtaken by a newer one', async () => {
      const stale = api.searchAudit({ user: 'alice' });
      const fresh = api.searchAudit({ user: 'bob' });
      const [first, second] = http.match((req) => req.url === '/api/admin/audit');
      second.flush({ events: [auditEvent('bob-1', { actor: 'bob' })], next: null });
      first.flush({ events: [auditEvent('alice-1')], next: 'alice-1' });
      await Promise.all([stale, fresh]);
      expect(api.auditEvents()?.map((e) => e.id)).toEqual(['bob-1']);
      expect(api.auditNext()).toBeNull();
    });

    it('words a refused filter', async () => {
      const searching = api.searchAudit({ session: 'nope' });
      http
        .expectOne((req) => req.url === '/api/admin/audit')
        .flush(
          { statusCode: 400, message: ['session must be a session id'] },
          { status: 400, statusText: 'Bad Request' },
        );
      await searching;
      expect(api.auditError()).toBe('session must be a session id');
    });

    it('builds the CSV link with the filters, the largest page and format=csv', () => {
      expect(api.auditCsvUrl({})).toBe('/api/admin/audit?limit=1000&format=csv');
      expect(api.auditCsvUrl({ user: 'alice', action: 'login', to: '2026-12-02T00:00:00.000Z' })).toBe(
        '/api/admin/audit?user=alice&action=login&to=2026-12-02T00:00:00.000Z&limit=1000&format=csv',
      );
    });
  });
});
