import type { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config';
import { ConnectTokenService } from './connect-token.service';

describe('ConnectTokenService', () => {
  const config = { get: () => 30 } as unknown as ConfigService<AppConfig, true>;
  let tokens: ConnectTokenService;
  beforeEach(() => (tokens = new ConnectTokenService(config)));
  afterEach(() => tokens.onModuleDestroy());

  it('grants the owner once, for that session only', () => {
    const { token, expiresAt } = tokens.issue('s1', 'alice', 1_000);
    expect(expiresAt.getTime()).toBe(31_000);
    expect(tokens.consume(token, 's1', 2_000)).toBe('alice');
    expect(tokens.consume(token, 's1', 2_000)).toBeNull();
  });

  it('refuses a token for another session, and burns it', () => {
    const { token } = tokens.issue('s1', 'alice', 1_000);
    expect(tokens.consume(token, 's2', 2_000)).toBeNull();
    expect(tokens.consume(token, 's1', 2_000)).toBeNull();
  });

  it('refuses an expired or unknown token', () => {
    const { token } = tokens.issue('s1', 'alice', 1_000);
    expect(tokens.consume(token, 's1', 31_001)).toBeNull();
    expect(tokens.consume('forged', 's1', 2_000)).toBeNull();
  });

  it('issues unguessable, distinct tokens', () => {
    const a = tokens.issue('s1', 'alice').token;
    const b = tokens.issue('s1', 'alice').token;
    expect(a).not.toBe(b);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
  });
});
