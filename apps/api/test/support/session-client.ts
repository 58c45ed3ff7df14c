// A logged-in user of the API in integration tests: REST calls with their cookie, and their
// Socket.IO connection recording every session.updated it receives.
import type { SessionDto, SessionListDto } from '@vizportal/session-domain';
import { io, type Socket } from 'socket.io-client';

export class SessionClient {
  readonly updates: SessionDto[] = [];
  private socket: Socket | null = null;

  constructor(
    readonly baseUrl: string,
    readonly cookie: string,
  ) {}

  request(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { cookie: this.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  async launch(appId: string, values: Record<string, unknown> = {}): Promise<SessionDto> {
    const response = await this.request('POST', '/api/sessions', { appId, values });
    if (response.status !== 201)
      throw new Error(`launch ${appId}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as SessionDto;
  }

  /** One page of GET /api/sessions: without `before`, every live session and the recent ended ones. */
  async list(query: { limit?: number; before?: string } = {}): Promise<SessionListDto> {
    const params = new URLSearchParams();
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.before !== undefined) params.set('before', query.before);
    const path = params.size ? `/api/sessions?${params}` : '/api/sessions';
    const response = await this.request('GET', path);
    if (response.status !== 200)
      throw new Error(`GET ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as SessionListDto;
  }

  /** Every session of the user, newest first: the first page and each older one. */
  async listAll(): Promise<SessionDto[]> {
    const all: SessionDto[] = [];
    let before: string | undefined;
    do {
      const page = await this.list({ limit: 100, before });
      all.push(...page.sessions);
      before = page.nextBefore ?? undefined;
    } while (before);
    return all;
  }

  async connectSocket(): Promise<void> {
    this.socket = io(this.baseUrl, {
      path: '/api/socket.io',
      transports: ['websocket'],
      extraHeaders: { cookie: this.cookie },
    });
    this.socket.on('session.updated', (session: SessionDto) => this.updates.push(session));
    await new Promise<void>((resolve, reject) => {
      this.socket?.once('connect', () => resolve());
      this.socket?.once('connect_error', reject);
    });
  }

  /** Waits for a socket update of the session that satisfies the predicate. */
  async waitFor(
    id: string,
    predicate: (session: SessionDto) => boolean,
    timeoutMs = 60_000,
  ): Promise<SessionDto> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const found = this.updates.find((update) => update.id === id && predicate(update));
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const seen = this.updates.filter((u) => u.id === id).map((u) => `${u.state}(${u.message ?? ''})`);
    throw new Error(`session ${id}: no such update within ${timeoutMs} ms; seen: ${seen.join(' → ')}`);
  }

  statesOf(id: string): string[] {
    return this.updates
      .filter((u) => u.id === id)
      .map((u) => u.state)
      .filter((s, i, all) => i === 0 || all[i - 1] !== s);
  }

  close(): void {
    this.socket?.disconnect();
  }
}
