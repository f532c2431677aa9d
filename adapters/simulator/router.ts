import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { Router, type RequestHandler } from 'express';
import type { Config } from '../../src/config.js';
import {
  languageMenu,
  messageKeys,
  REFERENCE_LANG,
  t,
  toLang,
  type MessageKey,
} from '../../src/i18n/index.js';
import { gsm7Length, isGsm7 } from '../../src/text/gsm7.js';
import type { Lang } from '../../src/core/types.js';
import { createSimulatorWhatsAppRouter, type SimulatorWhatsApp } from './whatsapp.js';
import { pagePolicy } from '../gateway/security.js';

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

/** What a handset allows: a USSD string is at most 182 GSM-7 characters (160 octets). */
const USSD_HARD_LIMIT = 182;
/** The simulator's defaults: AT's sandbox code shape, a made-up Malian number, AT's sandbox network. */
const SIMULATOR_DEFAULTS = {
  serviceCode: '*384*12#',
  phoneNumber: '+22370000001',
  networkCode: '99999',
  shortcode: '36000',
} as const;

const EXAMPLE_DIAL = '*384*12*2#';

export interface SimulatorOptions {
  config: Pick<Config, 'simulatorEnabled' | 'USSD_MAX_CHARS' | 'AT_SHORTCODE'> &
    Partial<Pick<Config, 'WEBHOOK_TOKEN' | 'WEBHOOK_BASIC_AUTH'>>;
  /** The WhatsApp chat's way to the channel (dev sink only); absent: the chat says it is off. */
  whatsapp?: SimulatorWhatsApp;
}

/** The catalog keys the page reads besides its own section. */
const SHARED_KEYS: MessageKey[] = ['app.name', 'label.ours', 'recommendation.source'];

// The call mode plays the voice line's prompts (/audio, same origin).
const CONTENT_SECURITY_POLICY = pagePolicy({ 'media-src': "'self'", 'manifest-src': "'self'" });

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  });
  next();
};

/**
 * The GSM-7 alphabet, derived from src/text/gsm7.ts (the one definition) rather than copied:
 * the page counts screen characters the way the channels do.
 */
let alphabet: { basic: string; extension: string } | undefined;
function gsmAlphabet(): { basic: string; extension: string } {
  if (alphabet) return alphabet;
  let basic = '';
  let extension = '';
  for (let code = 0; code <= 0xffff; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const ch = String.fromCharCode(code);
    if (!isGsm7(ch)) continue;
    if (gsm7Length(ch) === 2) extension += ch;
    else basic += ch;
  }
  alphabet = { basic, extension };
  return alphabet;
}

/** Each key the page uses, in every language: `{ key: { fr, en, ... } }`. */
function strings(): Record<string, Record<Lang, string>> {
  const out: Record<string, Record<Lang, string>> = {};
  for (const key of [...messageKeys('web.'), ...SHARED_KEYS]) {
    out[key] = Object.fromEntries(languageMenu().map(({ code }) => [code, t(code, key)]));
  }
  return out;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * The page template names catalog strings as {{key}} and is filled in the requested language
 * on the server, so it reads right before any script runs; the script re-fills it on a toggle.
 */
function renderPage(
  template: string,
  lang: Lang,
  table: Record<string, Record<Lang, string>>,
  params: Record<string, string>,
): string {
  return template.replace(/\{\{([\w.]+)\}\}/g, (whole, key: string) => {
    if (key === 'lang') return lang;
    const entry = table[key];
    if (!entry) return whole;
    return escapeHtml(
      (entry[lang] ?? entry.fr ?? '').replace(/\{(\w+)\}/g, (w, name: string) => params[name] ?? w),
    );
  });
}

/**
 * The phone simulator: GET /simulator (and / unless the public site holds it) serves the page,
 * /simulator/* its assets and its configuration.
 * When the simulator is off (production without SIMULATOR=on) the router serves nothing and
 * every request falls through to the app's 404.
 */
export function createSimulatorRouter({ config, whatsapp }: SimulatorOptions): Router {
  const router = Router();
  if (!config.simulatorEnabled) return router;

  const template = readFileSync(new URL('./public/index.html', import.meta.url), 'utf8');
  const table = strings();
  const shortcode = config.AT_SHORTCODE ?? SIMULATOR_DEFAULTS.shortcode;
  const pageParams = { code: SIMULATOR_DEFAULTS.serviceCode, example: EXAMPLE_DIAL, shortcode, key: '' };

  // At /simulator; at / too when the public site (mounted before) does not answer it.
  router.get(['/', '/simulator'], securityHeaders, (req, res) => {
    const lang = toLang(req.query.lang);
    res.set('Cache-Control', 'no-store');
    res.type('html').send(renderPage(template, lang, table, pageParams));
  });

  router.get('/simulator/config.json', securityHeaders, (_req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json({
      strings: table,
      // The language picker's data, from the one list of languages (content/i18n).
      languages: languageMenu(),
      // The report's words are in the reference catalog's language (a quote's lang attribute).
      reportLang: REFERENCE_LANG,
      defaults: { ...SIMULATOR_DEFAULTS, shortcode },
      limits: { ussdScreen: config.USSD_MAX_CHARS, ussdHard: USSD_HARD_LIMIT },
      // Guarded gateway routes (/ussd/:token, basic auth) are out of the page's reach: it says so.
      gatewaysGuarded: Boolean(config.WEBHOOK_TOKEN || config.WEBHOOK_BASIC_AUTH),
      gsm7: gsmAlphabet(),
      whatsapp: Boolean(whatsapp),
    });
  });

  if (whatsapp) router.use('/simulator/whatsapp', securityHeaders, createSimulatorWhatsAppRouter(whatsapp));

  // The template is only ever served filled in, at GET /simulator.
  router.get('/simulator/index.html', (_req, res) => res.redirect(301, '/simulator'));
  router.use(
    '/simulator',
    securityHeaders,
    express.static(PUBLIC_DIR, { index: false, redirect: false, maxAge: 0, fallthrough: true }),
  );
  return router;
}
