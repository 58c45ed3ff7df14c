// VncConnectionLimits' counting on its own (the proxy's use of it, on real sockets, is in
// vnc-proxy.spec.ts): per session and per user, and a slot freed once however often it is freed.
import type { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config';
import { VncConnectionLimits } from './vnc-connection-limits';

const config = {
  get: (key: string) => ({ VNC_MAX_CONNECTIONS_PER_SESSION: 2, VNC_MAX_CONNECTIONS_PER_USER: 3 })[key],
} as unknown as ConfigService<AppConfig, true>;

describe('VncConnectionLimits', () => {
  let limits: VncConnectionLimits;
  beforeEach(() => (limits = new VncConnectionLimits(config)));

  it('refuses a session its third connection, whoever asks, and a user their fourth', () => {
    limits.take('s1', 'alice');
    limits.take('s1', 'admin');
    expect(limits.refuse('s1', 'bob')?.reason).toBe(
      '2 connections to this session are open, VNC_MAX_CONNECTIONS_PER_SESSION is 2',
    );
    limits.take('s2', 'alice');
    limits.take('s3', 'alice');
    expect(limits.refuse('s4', 'alice')?.reason).toBe(
      'alice has 3 connections open, VNC_MAX_CONNECTIONS_PER_USER is 3',
    );
    expect(limits.refuse('s4', 'bob')).toBeNull();
  });

  it('frees a slot once, however often its release is called', () => {
    const free = limits.take('s1', 'alice');
    limits.take('s1', 'alice');
    free();
    free();
    expect(limits.refuse('s1', 'alice')).toBeNull();
    limits.take('s1', 'alice');
    expect(limits.refuse('s1', 'alice')).not.toBeNull();
  });
});
