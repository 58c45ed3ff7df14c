// GET /api/sessions over HTTP with a stand-in SessionService (no database, no cluster): the query's
// validation (a 400 with a sentence), its defaults, the cursor round trip and the Swagger document.
import type { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { createSession } from '@vizportal/session-domain';
import request from 'supertest';
import type { AuthenticatedRequest } from '../auth/authenticated-user';
import { encodeSessionCursor } from './session-cursor';
import { SessionExtender } from './session-extender';
import { SessionPresenter } from './session-presenter';
import { SessionService } from './session.service';
import { SessionsController } from './sessions.controller';

const t0 = new Date('2026-11-28T10:00:00.000Z');
const session = (id: string, minutes: number) =>
  createSession({
    id,
    owner: 'alice',
    appId: 'xterm',
    appTitle: 'Terminal',
    values: {},
    submitToken: `tok-${id}`,
    now: new Date(t0.getTime() + minutes * 60_000),
  });

const TEN_MINUTE_WARNING = { get: () => 10 } as unknown as ConfigService<AppConfig, true>;

describe('SessionsController GET /sessions', () => {
  let app: INestApplication;
  const list = jest.fn();

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [SessionsController],
      providers: [
        { provide: SessionService, useValue: { list } },
        { provide: SessionExtender, useValue: {} },
        { provide: SessionPresenter, useValue: new SessionPresenter(TEN_MINUTE_WARNING) },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    // What AuthGuard does for a logged-in request.
    app.use((req: AuthenticatedRequest, _res: unknown, next: () => void) => {
      req.user = { username: 'alice', isAdmin: false, groups: [] };
      next();
    });
    await app.init();
  });

  afterAll(() => app.close());

  beforeEach(() =>
    list.mockReset().mockResolvedValue({ sessions: [session('b', 2), session('a', 1)], next: null }),
  );

  it('reads the first page with 20 ended sessions by default, and says there is no older one', async () => {
    const response = await request(app.getHttpServer()).get('/sessions').expect(200);
    expect(list).toHaveBeenCalledWith(
      { username: 'alice', isAdmin: false, groups: [] },
      { limit: 20, before: null },
    );
    expect(response.body.sessions.map((s: { id: string }) => s.id)).toEqual(['b', 'a']);
    expect(response.body.sessions[0]).toMatchObject({
      state: 'submitting',
      canStop: true,
      headline: expect.any(String),
    });
    expect(response.body.nextBefore).toBeNull();
  });

  it('hands out an opaque cursor, and takes it back as `before` with a limit', async () => {
    list.mockResolvedValueOnce({
      sessions: [session('b', 2)],
      next: { createdAt: session('b', 2).createdAt, id: 'b' },
    });
    const first = await request(app.getHttpServer()).get('/sessions?limit=1').expect(200);
    const nextBefore: string = first.body.nextBefore;
    expect(nextBefore).toMatch(/^[A-Za-z0-9_-]+$/);

    await request(app.getHttpServer())
      .get('/sessions')
      .query({ limit: '100', before: nextBefore })
      .expect(200);
    expect(list).toHaveBeenLastCalledWith(expect.anything(), {
      limit: 100,
      before: { createdAt: new Date('2026-11-28T10:02:00.000Z'), id: 'b' },
    });
  });

  it.each([
    ['limit=0', 'limit must be a whole number from 1 to 100'],
    ['limit=101', 'limit must be a whole number from 1 to 100'],
    ['limit=ten', 'limit must be a whole number from 1 to 100'],
    ['limit=2.5', 'limit must be a whole number from 1 to 100'],
    ['limit=', 'limit must be a whole number from 1 to 100'],
    ['limit=1&limit=2', 'limit must be a whole number from 1 to 100'],
    ['before=not-a-cursor', 'before must be the nextBefore of a previous page'],
    [
      `before=${Buffer.from('2026-11-28|x').toString('base64url')}`,
      'before must be the nextBefore of a previous page',
    ],
    [
      `before=${encodeSessionCursor({ createdAt: t0, id: 'a' })}&before=x`,
      'before must be the nextBefore of a previous page',
    ],
    ['offset=20', 'property offset should not exist'],
  ])('refuses %s with a 400 and a sentence, and reads nothing', async (query, message) => {
    const response = await request(app.getHttpServer()).get(`/sessions?${query}`).expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, message: [message] });
    expect(list).not.toHaveBeenCalled();
  });

  it('documents the page, its query and its 400 in Swagger', () => {
    const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    const operation = document.paths['/sessions'].get;
    expect(
      operation?.parameters?.map((p) => ('name' in p ? `${p.name}:${p.in}:${p.required ?? false}` : '')),
    ).toEqual(['limit:query:false', 'before:query:false']);
    expect(JSON.stringify(operation?.responses['200'])).toContain('SessionListResponse');
    expect(operation?.responses['400']).toBeDefined();
    expect(
      Object.keys(
        (document.components?.schemas?.['SessionListResponse'] as { properties: object }).properties,
      ),
    ).toEqual(['sessions', 'nextBefore']);
  });
});
