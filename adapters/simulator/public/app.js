/* global document, location, history, localStorage, fetch, URL, URLSearchParams */
// The simulator page: wires the phone, the SMS thread, the search box and the settings.
import { createGsmCounter } from './gsm7.js';
import { createCall } from './call.js';
import { createI18n } from './i18n.js';
import { createPhone } from './phone.js';
import { createSearch } from './search.js';
import { createSms } from './sms.js';
import { createWhatsApp } from './whatsapp.js';

const STORAGE_KEY = 'dim-simulator';

function stored() {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}');
  } catch {
    return {};
  }
}

/** SMS and WhatsApp share one place on the page: a tab list shows one of them (ARIA tabs). */
function createTabs() {
  const tabs = [...document.querySelectorAll('.channel-tabs [role="tab"]')];
  const select = (chosen) => {
    for (const tab of tabs) {
      const selected = tab === chosen;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      document.getElementById(tab.getAttribute('aria-controls')).hidden = !selected;
    }
  };
  for (const [index, tab] of tabs.entries()) {
    tab.addEventListener('click', () => select(tab));
    tab.addEventListener('keydown', (event) => {
      const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
      if (step === 0) return;
      const next = tabs[(index + step + tabs.length) % tabs.length];
      select(next);
      next.focus();
    });
  }
}

function save(patch) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...stored(), ...patch }));
  } catch {
    // Private mode: settings simply do not persist.
  }
}

async function main() {
  const response = await fetch('/simulator/config.json', { cache: 'no-store' });
  const config = await response.json();
  const { defaults, limits } = config;

  const initialLang =
    new URLSearchParams(location.search).get('lang') ?? stored().lang ?? document.documentElement.lang;
  // The languages come from the server's one list (content/i18n): first is the reference.
  const codes = config.languages.map((language) => language.code);
  const i18n = createI18n(config.strings, codes.includes(initialLang) ? initialLang : codes[0]);
  const count = createGsmCounter(config.gsm7);

  const fields = {
    phoneNumber: document.querySelector('#set-phone'),
    serviceCode: document.querySelector('#set-code'),
    shortcode: document.querySelector('#set-shortcode'),
  };
  const saved = stored();
  for (const [name, input] of Object.entries(fields)) {
    input.value = saved[name] || defaults[name];
    input.placeholder = defaults[name];
    input.addEventListener('change', () => {
      save({ [name]: input.value.trim() });
      relabel();
    });
  }
  const settings = () => ({
    phoneNumber: fields.phoneNumber.value.trim() || defaults.phoneNumber,
    serviceCode: fields.serviceCode.value.trim() || defaults.serviceCode,
    shortcode: fields.shortcode.value.trim() || defaults.shortcode,
    networkCode: defaults.networkCode,
  });

  const sms = createSms({ i18n, settings });
  // A USSD choice may send an SMS ("get it by SMS"): the thread looks for it.
  const phone = createPhone({
    root: document.querySelector('#phone'),
    i18n,
    settings,
    limits,
    count,
    onAnswer: () => sms.expect(),
  });
  const search = createSearch({ i18n, reportLang: config.reportLang });
  createTabs();
  const whatsapp = createWhatsApp({ i18n, settings, enabled: Boolean(config.whatsapp) });
  const call = createCall({ root: document.querySelector('#call'), i18n, settings });

  function relabel() {
    const { serviceCode, shortcode } = settings();
    const base = serviceCode.replace(/#$/, '');
    i18n.apply(document, { code: serviceCode, example: `${base}*2#`, shortcode });
    phone.render();
    sms.render();
    search.render();
    whatsapp.render();
    call.render();
  }

  const toggle = document.querySelector('#lang-toggle');
  toggle.addEventListener('click', () => {
    // The next language of the list, round.
    i18n.set(codes[(codes.indexOf(i18n.lang) + 1) % codes.length]);
    save({ lang: i18n.lang });
    const url = new URL(location.href);
    url.searchParams.set('lang', i18n.lang);
    history.replaceState(null, '', url);
    relabel();
  });

  document.querySelector('#guarded').hidden = !config.gatewaysGuarded;
  relabel();
  document.body.dataset.ready = 'true';
}

void main();
