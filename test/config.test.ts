import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { REFERENCE_LANG } from '../src/i18n/index.js';

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

  it('when the public site is configured, then it is on by default, its address loses its trailing slash and bad values are named', () => {
    expect(loadConfig({}).publicSiteEnabled).toBe(true);
    expect(loadConfig({ PUBLIC_SITE: 'off' }).publicSiteEnabled).toBe(false);
    const config = loadConfig({
      PUBLIC_BASE_URL: 'https://dialogue.example.ml//',
      USSD_SERVICE_CODE: '*384*12#',
    });
    expect(config.PUBLIC_BASE_URL).toBe('https://dialogue.example.ml');
    expect(config.publicPageBase).toBe('https://dialogue.example.ml');
    // The site off: channels share no link to it.
    expect(
      loadConfig({ PUBLIC_SITE: 'off', PUBLIC_BASE_URL: 'https://x.ml' }).publicPageBase,
    ).toBeUndefined();
    expect(loadConfig({ PUBLIC_BASE_URL: '' }).PUBLIC_BASE_URL).toBeUndefined();
    expect(() =>
      loadConfig({
        PUBLIC_SITE: 'yes',
        PUBLIC_BASE_URL: 'https://x.ml/?utm=1',
        USSD_SERVICE_CODE: '384',
        TELEGRAM_BOT_USERNAME: '@bot',
        WHATSAPP_NUMBER: '70000000',
      }),
    ).toThrow(
      expect.objectContaining({
        problems: expect.arrayContaining([
          expect.stringMatching(/^PUBLIC_SITE:/),
          'PUBLIC_BASE_URL: must have no query or fragment',
          'USSD_SERVICE_CODE: must look like *384*12#',
          expect.stringMatching(/^TELEGRAM_BOT_USERNAME:/),
          expect.stringMatching(/^WHATSAPP_NUMBER:/),
        ]),
      }),
    );
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

  describe('the console settings', () => {
    const HASH = `scrypt$17$8$1$${'s'.repeat(22)}$${'k'.repeat(43)}`;
    const production = {
      NODE_ENV: 'production',
      REDIS_URL: 'redis://127.0.0.1:6379',
      WEBHOOK_TOKEN: 'a'.repeat(32),
      PHONE_HASH_KEY: 'k'.repeat(32),
    };

    it('when CONSOLE_USERS is unset, then the console has no account and the retention and cost have defaults', () => {
      const config = loadConfig({});
      expect(config.consoleAccounts).toEqual([]);
      expect(config.ANALYTICS_RETENTION_DAYS).toBe(90);
      expect(config.CONSOLE_AUDIT_RETENTION_DAYS).toBe(365);
      expect(config.SMS_SEGMENT_COST).toBe(0);
      expect(config.SMS_COST_CURRENCY).toBe('XOF');
    });

    it('when accounts are given, then each is read as name, role and hash', () => {
      const config = loadConfig({
        CONSOLE_USERS: `awa:editor:${HASH}, moussa:viewer:${HASH}`,
        SMS_SEGMENT_COST: '12.5',
      });
      expect(config.consoleAccounts).toEqual([
        { name: 'awa', role: 'editor', hash: HASH },
        { name: 'moussa', role: 'viewer', hash: HASH },
      ]);
      expect(config.SMS_SEGMENT_COST).toBe(12.5);
    });

    it('when an account is malformed, then the error says which without echoing its hash', () => {
      for (const [value, pattern] of [
        [`awa:admin:${HASH}`, /awa: role must be one of viewer, editor, broadcaster/],
        [
          'awa:editor:plaintext-password',
          /awa: the hash is not one printed by npm run console:hash-password/,
        ],
        [`awa:editor:${HASH},awa:viewer:${HASH}`, /awa: named twice/],
        [`a w a:editor:${HASH}`, /entry 1 must be name:role:hash/],
      ] as const) {
        let message = '';
        try {
          loadConfig({ CONSOLE_USERS: value });
        } catch (error) {
          message = (error as Error).message;
        }
        expect(message, value).toMatch(pattern);
        expect(message).not.toContain('plaintext-password');
        expect(message).toContain('CONSOLE_USERS');
      }
    });

    it('when the console is on in production, then CONSOLE_SESSION_SECRET is required and must be long', () => {
      const users = `awa:editor:${HASH}`;
      expect(() => loadConfig({ ...production, CONSOLE_USERS: users })).toThrowError(
        /CONSOLE_SESSION_SECRET: is required in production/,
      );
      expect(() =>
        loadConfig({ ...production, CONSOLE_USERS: users, CONSOLE_SESSION_SECRET: 'short' }),
      ).toThrowError(/CONSOLE_SESSION_SECRET: must be at least 32 characters/);
      const config = loadConfig({
        ...production,
        CONSOLE_USERS: users,
        CONSOLE_SESSION_SECRET: 's'.repeat(32),
      });
      expect(config.consoleAccounts).toHaveLength(1);
      expect(loadConfig(production).consoleAccounts).toEqual([]);
    });

    it('when the retention or the currency is out of range, then it is refused', () => {
      expect(() => loadConfig({ ANALYTICS_RETENTION_DAYS: '0' })).toThrowError(/ANALYTICS_RETENTION_DAYS/);
      expect(() => loadConfig({ SMS_COST_CURRENCY: 'francs' })).toThrowError(/SMS_COST_CURRENCY/);
      expect(() => loadConfig({ SMS_SEGMENT_COST: '-1' })).toThrowError(/SMS_SEGMENT_COST/);
    });
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

  it("when WHATSAPP_TEMPLATE_LANG is unset, then the template is in the reference catalog's language", () => {
    expect(loadConfig({}).WHATSAPP_TEMPLATE_LANG).toBe(REFERENCE_LANG);
    expect(loadConfig({ WHATSAPP_TEMPLATE_LANG: 'en_US' }).WHATSAPP_TEMPLATE_LANG).toBe('en_US');
  });

  it('when SMS_UCS2_LANGS or the deprecated SMS_BAMBARA_ENCODING is set, then the UCS-2 languages are their union (none by default)', () => {
    expect(loadConfig({}).smsUcs2Langs).toEqual([]);
    expect(loadConfig({ SMS_UCS2_LANGS: 'bm,xx' }).smsUcs2Langs).toEqual(['bm', 'xx']);
    expect(loadConfig({ SMS_BAMBARA_ENCODING: 'ucs2' }).smsUcs2Langs).toEqual(['bm']);
    expect(loadConfig({ SMS_UCS2_LANGS: 'bm', SMS_BAMBARA_ENCODING: 'ucs2' }).smsUcs2Langs).toEqual(['bm']);
    expect(loadConfig({ SMS_BAMBARA_ENCODING: 'gsm7' }).smsUcs2Langs).toEqual([]);
    expect(() => loadConfig({ SMS_UCS2_LANGS: 'Bambara' })).toThrow(/SMS_UCS2_LANGS/);
  });

  it('when SMS_BAMBARA_ENCODING is set, then only gsm7 or ucs2 is accepted (gsm7 by default)', () => {
    expect(loadConfig({}).SMS_BAMBARA_ENCODING).toBe('gsm7');
    expect(loadConfig({ SMS_BAMBARA_ENCODING: 'ucs2' }).SMS_BAMBARA_ENCODING).toBe('ucs2');
    expect(() => loadConfig({ SMS_BAMBARA_ENCODING: 'utf8' })).toThrow(/SMS_BAMBARA_ENCODING/);
  });
});
