import { refuseJobsAsRoot, validateAppConfig } from './app-config';

describe('validateAppConfig', () => {
  it('gives working defaults for the local dev cluster', () => {
    const config = validateAppConfig({});
    expect(config.PORT).toBe(8080);
    expect(config.DATABASE_PATH).toBe('./data/vizportal.sqlite');
    expect(config.SLURM_SUBMIT_AS).toBe('service');
    expect(config.SLURM_COMMAND_TIMEOUT_MS).toBe(15000);
  });

  it('coerces numbers given as strings, as environment variables are', () => {
    expect(validateAppConfig({ PORT: '9000', SLURM_COMMAND_TIMEOUT_MS: '2500' })).toMatchObject({
      PORT: 9000,
      SLURM_COMMAND_TIMEOUT_MS: 2500,
    });
  });

  it('refuses bad values and names every bad variable', () => {
    expect(() => validateAppConfig({ PORT: 'eighty', SLURM_SUBMIT_AS: 'root' })).toThrow(
      /PORT:[\s\S]*SLURM_SUBMIT_AS:/,
    );
  });

  it('refuses a port out of range', () => {
    expect(() => validateAppConfig({ PORT: '70000' })).toThrow(/PORT/);
  });
});

describe('validateAppConfig: VNC settings', () => {
  it('defaults to the local cluster, whose nodes are all on 127.0.0.1', () => {
    const pattern = new RegExp(validateAppConfig({}).VNC_HOST_PATTERN);
    expect(pattern.test('127.0.0.1')).toBe(true);
    expect(pattern.test('127.0.0.10')).toBe(false);
    expect(pattern.test('10.0.0.1')).toBe(false);
  });

  it('limits a browser message to 1 MiB and open connections to 4 per session and 16 per user', () => {
    expect(validateAppConfig({})).toMatchObject({
      VNC_MAX_MESSAGE_BYTES: 1024 * 1024,
      VNC_MAX_CONNECTIONS_PER_SESSION: 4,
      VNC_MAX_CONNECTIONS_PER_USER: 16,
    });
  });

  it('takes no message limit under 64 KiB, which would cut off noVNC (it sends up to 10 KiB at once)', () => {
    expect(() => validateAppConfig({ VNC_MAX_MESSAGE_BYTES: '1024' })).toThrow(/VNC_MAX_MESSAGE_BYTES/);
    expect(validateAppConfig({ VNC_MAX_MESSAGE_BYTES: '65536' }).VNC_MAX_MESSAGE_BYTES).toBe(65536);
  });

  it('takes no connection limit of 0', () => {
    expect(() => validateAppConfig({ VNC_MAX_CONNECTIONS_PER_SESSION: '0' })).toThrow(
      /VNC_MAX_CONNECTIONS_PER_SESSION/,
    );
  });

  it('refuses a host pattern that is not a regular expression', () => {
    expect(() => validateAppConfig({ VNC_HOST_PATTERN: '(' })).toThrow(
      /VNC_HOST_PATTERN: must be a valid regular expression/,
    );
  });
});

describe('refuseJobsAsRoot', () => {
  it("refuses service mode with no job account when the API's own account is root, saying what to do", () => {
    expect(() => refuseJobsAsRoot(validateAppConfig({}), 0)).toThrow(
      /SLURM_SUBMIT_AS: 'service' with no SLURM_JOB_ACCOUNT[\s\S]*root shell[\s\S]*SLURM_SUBMIT_AS=user/,
    );
  });

  it.each([
    ['an unprivileged API in service mode', {}, 1000],
    ['a root API with a job account', { SLURM_JOB_ACCOUNT: 'vizportal' }, 0],
    ['a root API in user mode', { SLURM_SUBMIT_AS: 'user' }, 0],
  ])('lets %s start', (_, env, uid) => {
    expect(refuseJobsAsRoot(validateAppConfig(env), uid)).toMatchObject(env);
  });

  it('takes no job account that is root or not an account name', () => {
    expect(() => validateAppConfig({ SLURM_JOB_ACCOUNT: 'root' })).toThrow(
      /SLURM_JOB_ACCOUNT: must not be root/,
    );
    expect(() => validateAppConfig({ SLURM_JOB_ACCOUNT: 'a b' })).toThrow(
      /SLURM_JOB_ACCOUNT: must be a Unix account name/,
    );
  });
});
