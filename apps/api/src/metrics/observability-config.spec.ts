import { validateAppConfig } from '../config/app-config';

describe('observability settings', () => {
  it('defaults to public metrics and info-level JSON logs', () => {
    expect(validateAppConfig({})).toMatchObject({
      METRICS_ENABLED: true,
      METRICS_TOKEN: '',
      LOG_LEVEL: 'info',
    });
  });

  it('reads METRICS_ENABLED as a flag, METRICS_TOKEN as given, and LOG_LEVEL from pino levels', () => {
    expect(
      validateAppConfig({ METRICS_ENABLED: 'false', METRICS_TOKEN: 's3cret', LOG_LEVEL: 'debug' }),
    ).toMatchObject({
      METRICS_ENABLED: false,
      METRICS_TOKEN: 's3cret',
      LOG_LEVEL: 'debug',
    });
  });

  it('refuses a level pino does not know and a flag that is not one', () => {
    expect(() => validateAppConfig({ LOG_LEVEL: 'verbose', METRICS_ENABLED: 'maybe' })).toThrow(
      /METRICS_ENABLED[\s\S]*LOG_LEVEL|LOG_LEVEL[\s\S]*METRICS_ENABLED/,
    );
  });
});
