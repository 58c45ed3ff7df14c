// The readiness use case: what is checked before the one-time secret is spent, and that a report
// which cannot be recorded leaves the secret for the job's retry.
import type { ConfigService } from '@nestjs/config';
import { createSession, type Session } from '@vizportal/session-domain';
import type { ClusterService } from '../cluster/cluster.service';
import type { AppConfig } from '../config/app-config';
import { ReadinessService } from './readiness.service';
import { ReadinessRefusedError, ReadinessSecretError } from './session-errors';
import type { SessionRepository } from './session.repository';
import type { SessionObserver } from './session-observer';
import { sha256 } from './session.service';
import { VncEndpointPolicy } from './vnc-endpoint-policy';

const SECRET = 'the-jobs-one-time-secret';
const REPORT = { host: '127.0.0.1', port: 5921, password: 'abcd1234', display: 21 };

describe('ReadinessService', () => {
  let storedHash: string | null;
  let session: Session;
  let observe: jest.Mock;
  let setVncPassword: jest.Mock;
  let readiness: ReadinessService;

  beforeEach(() => {
    storedHash = sha256(SECRET);
    session = {
      ...createSession({
        id: 's1',
        owner: 'alice',
        appId: 'xterm',
        appTitle: 'Terminal',
        values: {},
        submitToken: 'a'.repeat(32),
        now: new Date(),
      }),
      state: 'starting',
      jobId: '7',
      node: 'viz01',
    };
    observe = jest.fn(async () => session);
    setVncPassword = jest.fn(async () => undefined);
    const sessions = {
      // As the repository does: the hash is consumed once, atomically.
      consumeReadinessSecretHash: async (_id: string, hash: string) => {
        const matches = storedHash === hash;
        if (matches) storedHash = null;
        return matches;
      },
      setReadinessSecretHash: async (_id: string, hash: string) => void (storedHash = hash),
      findById: async () => session,
      setVncPassword,
    } as unknown as SessionRepository;
    const settings: Partial<AppConfig> = {
      VNC_HOST_PATTERN: '^127\\.0\\.0\\.1$',
      VNC_PORT_MIN: 5920,
      VNC_PORT_MAX: 6019,
    };
    const policy = new VncEndpointPolicy({
      get: (key: keyof AppConfig) => settings[key],
    } as unknown as ConfigService<AppConfig, true>);
    readiness = new ReadinessService(
      sessions,
      { observe, learnJob: async () => undefined } as unknown as SessionObserver,
      { info: async () => ({ partitions: [], nodes: [] }) } as unknown as ClusterService,
      policy,
    );
  });

  it('records the endpoint and the password, spending the secret', async () => {
    await readiness.report('s1', SECRET, REPORT);
    expect(setVncPassword).toHaveBeenCalledWith('s1', 'abcd1234');
    expect(observe).toHaveBeenCalledWith(
      session,
      expect.objectContaining({ kind: 'readiness', port: 5921, display: 21 }),
    );
    expect(storedHash).toBeNull();
    await expect(readiness.report('s1', SECRET, REPORT)).rejects.toThrow(ReadinessSecretError);
  });

  it.each([
    [{ ...REPORT, host: '10.0.0.1' }, /node address 10.0.0.1 is outside VNC_HOST_PATTERN/],
    [{ ...REPORT, port: 22 }, /port 22 is outside the VNC port range 5920-6019/],
  ])('refuses a report the portal may not dial before the secret is spent: %o', async (report, message) => {
    await expect(readiness.report('s1', SECRET, report)).rejects.toThrow(ReadinessRefusedError);
    await expect(readiness.report('s1', SECRET, report)).rejects.toThrow(message);
    expect(storedHash).toBe(sha256(SECRET));
    await readiness.report('s1', SECRET, REPORT);
    expect(observe).toHaveBeenCalledTimes(1);
  });

  it('gives the secret back when the report cannot be saved, so the retry lands', async () => {
    setVncPassword.mockRejectedValueOnce(
      Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' }),
    );
    await expect(readiness.report('s1', SECRET, REPORT)).rejects.toThrow(/SQLITE_FULL/);
    expect(storedHash).toBe(sha256(SECRET));
    expect(observe).not.toHaveBeenCalled();
    await readiness.report('s1', SECRET, REPORT);
    expect(observe).toHaveBeenCalledTimes(1);
    expect(storedHash).toBeNull();
  });

  it('refuses a wrong secret without touching the session', async () => {
    await expect(readiness.report('s1', 'another-secret', REPORT)).rejects.toThrow(ReadinessSecretError);
    expect(setVncPassword).not.toHaveBeenCalled();
    expect(storedHash).toBe(sha256(SECRET));
  });
});
