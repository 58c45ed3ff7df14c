import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { sessionDto } from '../../../testing/session-dto.fixture';
import { SessionsApi } from './sessions-api.service';

describe('SessionsApi', () => {
  let api: SessionsApi;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    api = TestBed.inject(SessionsApi);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('launches with the app id and the form values', async () => {
    const launched = api.launch('desktop', { cpus: 2, partition: 'viz' });
    const request = http.expectOne({ method: 'POST', url: '/api/sessions' });
    expect(request.request.body).toEqual({ appId: 'desktop', values: { cpus: 2, partition: 'viz' } });
    request.flush(sessionDto());
    await expect(launched).resolves.toMatchObject({ state: 'queued' });
  });

  it('reads the first page of the list, and an older one with the cursor it was given', async () => {
    const first = api.list();
    http
      .expectOne({ method: 'GET', url: '/api/sessions' })
      .flush({ sessions: [sessionDto()], nextBefore: 'c1' });
    await expect(first).resolves.toMatchObject({ nextBefore: 'c1' });
    const older = api.list('c1');
    http
      .expectOne({ method: 'GET', url: '/api/sessions?before=c1' })
      .flush({ sessions: [], nextBefore: null });
    await expect(older).resolves.toEqual({ sessions: [], nextBefore: null });
  });

  it('calls each session route', async () => {
    const calls = [
      [api.get('s1'), 'GET', '/api/sessions/s1', sessionDto()],
      [api.stop('s1'), 'POST', '/api/sessions/s1/stop', sessionDto()],
      [api.relaunch('s1'), 'POST', '/api/sessions/s1/relaunch', sessionDto()],
      [
        api.connect('s1'),
        'POST',
        '/api/sessions/s1/connect',
        { path: '/api/sessions/s1/vnc?token=t', token: 't', expiresAt: '', password: 'pw' },
      ],
      [api.log('s1'), 'GET', '/api/sessions/s1/log', { text: 'tail', truncated: false }],
      [api.remove('s1'), 'DELETE', '/api/sessions/s1', null],
    ] as const;
    for (const [, method, url, body] of calls) http.expectOne({ method, url }).flush(body);
    await Promise.all(calls.map(([promise]) => promise));
  });
});
