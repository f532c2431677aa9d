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

describe('WhatsApp configuration', () => {
  const whatsapp = {
    WHATSAPP_TOKEN: 'EAAG-token',
    WHATSAPP_APP_SECRET: 'app-secret-0123456789',
    WHATSAPP_VERIFY_TOKEN: 'verify-token-0123456789',
    WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
  };

  it('when no WHATSAPP_* is set, then the channel is off and the Graph API root defaults to Meta', () => {
    const config = loadConfig({});
    expect(config.whatsappEnabled).toBe(false);
    expect(config.WHATSAPP_API_ROOT).toBe('https://graph.facebook.com');
    expect(config.WHATSAPP_API_VERSION).toMatch(/^v\d+\.\d$/);
    // `NAME=` in an env file is unset, not an invalid URL.
    expect(loadConfig({ WHATSAPP_API_ROOT: '', WHATSAPP_API_VERSION: ' ' }).WHATSAPP_API_ROOT).toBe(
      'https://graph.facebook.com',
    );
  });

  it('when all four are set, then the channel is on (a trailing slash of the API root is dropped)', () => {
    const config = loadConfig({ ...whatsapp, WHATSAPP_API_ROOT: 'http://127.0.0.1:4004/' });
    expect(config.whatsappEnabled).toBe(true);
    expect(config.WHATSAPP_API_ROOT).toBe('http://127.0.0.1:4004');
  });

  it('when only some are set, then each missing one is named', () => {
    expect(() => loadConfig({ WHATSAPP_TOKEN: 'EAAG-token' })).toThrowError(
      /WHATSAPP_APP_SECRET[\s\S]*WHATSAPP_VERIFY_TOKEN[\s\S]*WHATSAPP_PHONE_NUMBER_ID/,
    );
  });

  it.each([
    ['WHATSAPP_VERIFY_TOKEN', 'short'],
    ['WHATSAPP_PHONE_NUMBER_ID', '+223 70'],
    ['WHATSAPP_API_ROOT', 'ftp://graph.facebook.com'],
    ['WHATSAPP_API_VERSION', '23'],
    ['WHATSAPP_TEMPLATE_LANG', 'French'],
  ])('when %s is %s, then the configuration is refused naming it', (name, value) => {
    expect(() => loadConfig({ ...whatsapp, [name]: value })).toThrowError(new RegExp(name));
  });

  it('when production sends the token over plain http, then it is refused', () => {
    const production = {
      NODE_ENV: 'production',
      REDIS_URL: 'redis://127.0.0.1:6379',
      WEBHOOK_TOKEN: 'a'.repeat(32),
      PHONE_HASH_KEY: 'k'.repeat(32),
    };
    expect(() =>
      loadConfig({ ...production, ...whatsapp, WHATSAPP_API_ROOT: 'http://proxy:8080' }),
    ).toThrowError(/WHATSAPP_API_ROOT/);
    expect(loadConfig({ ...production, ...whatsapp }).whatsappEnabled).toBe(true);
  });
});
