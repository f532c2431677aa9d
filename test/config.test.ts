import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration from the environment', () => {
  it('when nothing is set, then every setting has an embedded default', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.production).toBe(false);
    expect(config.simulatorEnabled).toBe(true);
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.USSD_MAX_CHARS).toBe(160);
    expect(config.SMS_MAX_SEGMENTS).toBe(2);
    expect(config.DATA_DIR).toBe('./data');
  });

  it('when several variables are bad, then the error names every one of them', () => {
    let caught: unknown;
    try {
      loadConfig({ PORT: 'abc', USSD_MAX_CHARS: '400', LOG_LEVEL: 'loud', SMS_MAX_SEGMENTS: '0' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    for (const name of ['PORT', 'USSD_MAX_CHARS', 'LOG_LEVEL', 'SMS_MAX_SEGMENTS'])
      expect(message).toContain(name);
  });

  it('when production mode lacks its secrets, then each missing one is named', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrowError(
      /REDIS_URL[\s\S]*WEBHOOK_TOKEN[\s\S]*PHONE_HASH_KEY/,
    );
  });

  it('when production mode has its three secrets, then it starts with safe defaults', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      REDIS_URL: 'redis://127.0.0.1:6379',
      WEBHOOK_TOKEN: 'a'.repeat(32),
      PHONE_HASH_KEY: 'k'.repeat(32),
    });
    expect(config.production).toBe(true);
    expect(config.simulatorEnabled).toBe(false);
    expect(config.METRICS_TOKEN).toBeUndefined();
  });

  it('when the USSD navigation keys collide, then the configuration is refused', () => {
    expect(() => loadConfig({ USSD_KEY_BACK: '98' })).toThrowError(/USSD_KEY_BACK/);
  });

  it('when a variable is set to an empty string, then it counts as unset', () => {
    expect(loadConfig({ REDIS_URL: '' }).REDIS_URL).toBeUndefined();
  });
});

describe('translation settings', () => {
  const production = {
    NODE_ENV: 'production',
    REDIS_URL: 'redis://localhost:6379',
    WEBHOOK_TOKEN: 'a-long-enough-token-123',
    PHONE_HASH_KEY: 'a-long-enough-key-12345',
  };

  it('when nothing is set, then drafts are served outside production and not in production', () => {
    expect(loadConfig({}).serveDraftTranslations).toBe(true);
    expect(loadConfig(production).serveDraftTranslations).toBe(false);
  });

  it('when the operator sets SERVE_DRAFT_TRANSLATIONS, then that decides, in production too', () => {
    expect(loadConfig({ ...production, SERVE_DRAFT_TRANSLATIONS: 'on' }).serveDraftTranslations).toBe(true);
    expect(loadConfig({ SERVE_DRAFT_TRANSLATIONS: 'off' }).serveDraftTranslations).toBe(false);
    expect(() => loadConfig({ SERVE_DRAFT_TRANSLATIONS: 'yes' })).toThrow(ConfigError);
  });

  it('when SMS_BAMBARA_ENCODING is set, then only gsm7 or ucs2 is accepted (gsm7 by default)', () => {
    expect(loadConfig({}).SMS_BAMBARA_ENCODING).toBe('gsm7');
    expect(loadConfig({ SMS_BAMBARA_ENCODING: 'ucs2' }).SMS_BAMBARA_ENCODING).toBe('ucs2');
    expect(() => loadConfig({ SMS_BAMBARA_ENCODING: 'utf8' })).toThrow(/SMS_BAMBARA_ENCODING/);
  });
});
