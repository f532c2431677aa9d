/* global document, fetch, crypto, URLSearchParams, AbortController, setTimeout, clearTimeout */
// A basic handset speaking Africa's Talking's USSD dialect to the real POST /ussd route:
// form fields sessionId, serviceCode, phoneNumber, networkCode, text (every input of the session
// joined by '*', empty on the first hop); the answer starts with CON (continue) or END (close).

const KEYS = [
  ['1', ''],
  ['2', 'abc'],
  ['3', 'def'],
  ['4', 'ghi'],
  ['5', 'jkl'],
  ['6', 'mno'],
  ['7', 'pqrs'],
  ['8', 'tuv'],
  ['9', 'wxyz'],
  ['*', ''],
  ['0', '+'],
  ['#', ''],
];
const DIAL_CHARS = /[^0-9*#+]/g;
/** A gateway gives up after 10-15 s; so does the handset. */
const REQUEST_TIMEOUT_MS = 15_000;

export function newSessionId() {
  if (globalThis.crypto?.randomUUID) return `sim-${crypto.randomUUID()}`;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `sim-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * What a dial string sends: the service code alone opens the menu with text ""; extra parts
 * (*384*12*3*215#) arrive as if typed, text "3*215".
 * @returns {{text: string} | {error: 'badDial' | 'unknownCode'}}
 */
export function parseDial(dialed, serviceCode) {
  if (!/^\*[0-9*]*[0-9]#$/.test(dialed)) return { error: 'badDial' };
  const base = serviceCode.replace(/#$/, '');
  if (dialed === serviceCode) return { text: '' };
  if (dialed.startsWith(`${base}*`)) return { text: dialed.slice(base.length + 1, -1) };
  return { error: 'unknownCode' };
}

/**
 * @param {object} deps
 * @param {HTMLElement} deps.root
 * @param {ReturnType<import('./i18n.js').createI18n>} deps.i18n
 * @param {() => {phoneNumber: string, serviceCode: string, networkCode: string}} deps.settings
 * @param {{ussdScreen: number, ussdHard: number}} deps.limits
 * @param {(text: string) => {septets: number, outside: string[]}} deps.count
 * @param {() => void} [deps.onAnswer] called after each answer of the service (a menu may have sent an SMS)
 */
export function createPhone({ root, i18n, settings, limits, count, onAnswer = () => {} }) {
  const screenText = root.querySelector('#screen-text');
  const input = root.querySelector('#line-input');
  const lineLabel = root.querySelector('#line-label');
  const screenCounter = root.querySelector('#screen-counter');
  const inputCounter = root.querySelector('#input-counter');
  const nonGsm = root.querySelector('#non-gsm');
  const keypad = root.querySelector('#keypad');

  /** idle | busy | session | ended */
  let state = 'idle';
  /** What the screen shows: a catalog message of ours, or the service's own screen. */
  let screen = { key: 'web.phone.ready' };
  let sessionId = '';
  let typed = '';
  let inFlight = null;

  for (const [key, letters] of KEYS) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.key = key;
    button.dataset.i18nAttr = 'aria-label:web.phone.key';
    const digit = document.createElement('span');
    digit.className = 'digit';
    digit.textContent = key;
    const sub = document.createElement('span');
    sub.className = 'letters';
    sub.setAttribute('aria-hidden', 'true');
    sub.textContent = letters;
    button.append(digit, sub);
    button.addEventListener('click', () => press(key));
    keypad.append(button);
  }

  function setState(next) {
    state = next;
    root.dataset.state = next;
    render();
  }

  function render() {
    const { serviceCode } = settings();
    screenText.textContent =
      'server' in screen ? screen.server : i18n.t(screen.key, { code: serviceCode, ...screen.params });
    lineLabel.textContent = i18n.t(state === 'session' ? 'web.phone.replyLabel' : 'web.phone.dialLabel');
    input.inputMode = state === 'session' ? 'text' : 'tel';
    input.placeholder = state === 'idle' ? serviceCode : '';
    input.readOnly = state === 'busy' || state === 'ended';
    for (const button of keypad.querySelectorAll('button')) {
      button.setAttribute('aria-label', i18n.t('web.phone.key', { key: button.dataset.key }));
    }
    renderCounters();
  }

  function renderCounters() {
    if ('server' in screen) {
      const { septets, outside } = count(screen.server);
      const over = septets > limits.ussdScreen;
      screenCounter.textContent = over
        ? i18n.t('web.phone.counterOver', { count: septets, max: limits.ussdScreen })
        : i18n.t('web.phone.counter', { count: septets, max: limits.ussdScreen, hard: limits.ussdHard });
      screenCounter.classList.toggle('over', over);
      nonGsm.hidden = outside.length === 0;
      nonGsm.textContent = outside.length ? i18n.t('web.phone.nonGsm', { chars: outside.join(' ') }) : '';
    } else {
      screenCounter.textContent = '';
      screenCounter.classList.remove('over');
      nonGsm.hidden = true;
      nonGsm.textContent = '';
    }
    inputCounter.textContent = i18n.t('web.phone.inputCounter', {
      count: count(input.value).septets,
      max: limits.ussdHard,
    });
  }

  /** Keeps the line within what a handset lets you type: dial characters when idle, GSM-7 in a session. */
  function sanitize() {
    let value = input.value;
    if (state === 'idle') value = value.replace(DIAL_CHARS, '');
    else {
      // A handset types nothing outside GSM-7 (no ç, ê, ’): drop what it could not have sent.
      const outside = new Set(count(value).outside);
      value = [...value].filter((ch) => !outside.has(ch) && ch !== '\n' && ch !== '\r').join('');
    }
    while (count(value).septets > limits.ussdHard) value = [...value].slice(0, -1).join('');
    if (value !== input.value) input.value = value;
    renderCounters();
  }

  function show(next) {
    screen = next;
    render();
  }

  function dismiss() {
    input.value = '';
    screen = { key: 'web.phone.ready' };
    setState('idle');
  }

  async function send(text) {
    const { phoneNumber, serviceCode, networkCode } = settings();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    inFlight = controller;
    screen = { key: 'web.phone.sending' };
    setState('busy');
    try {
      const response = await fetch('/ussd', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ sessionId, serviceCode, phoneNumber, networkCode, text }),
        signal: controller.signal,
      });
      const body = await response.text();
      if (inFlight !== controller) return;
      onAnswer();
      if (response.status === 200 && body.startsWith('CON ')) {
        typed = text;
        screen = { server: body.slice(4) };
        input.value = '';
        setState('session');
      } else if (response.status === 200 && body.startsWith('END ')) {
        screen = { server: body.slice(4) };
        input.value = '';
        setState('ended');
      } else {
        screen = { key: 'web.phone.gatewayError', params: { status: response.status } };
        setState('ended');
      }
    } catch {
      if (inFlight !== controller) return;
      screen = { key: 'web.phone.networkError' };
      setState('ended');
    } finally {
      clearTimeout(timer);
      if (inFlight === controller) inFlight = null;
    }
  }

  function call() {
    if (state === 'busy') return;
    if (state === 'ended') return dismiss();
    if (state === 'session') {
      const answer = input.value;
      if (answer === '') return;
      void send(typed === '' ? answer : `${typed}*${answer}`);
      return;
    }
    const dialed = input.value.trim();
    if (dialed === '') return;
    const { serviceCode } = settings();
    const parsed = parseDial(dialed, serviceCode);
    if ('error' in parsed) {
      show({ key: `web.phone.${parsed.error}`, params: { dialed } });
      return;
    }
    sessionId = newSessionId();
    typed = '';
    void send(parsed.text);
  }

  function end() {
    if (state === 'ended') return dismiss();
    if (state === 'busy' || state === 'session') {
      inFlight?.abort();
      inFlight = null;
      input.value = '';
      screen = { key: 'web.phone.cancelled' };
      setState('idle');
      return;
    }
    input.value = '';
    show({ key: 'web.phone.ready' });
  }

  function clear() {
    if (state === 'ended') return dismiss();
    if (state === 'busy') return;
    input.value = [...input.value].slice(0, -1).join('');
    renderCounters();
  }

  function press(key) {
    if (state === 'ended') return dismiss();
    if (state === 'busy' || input.readOnly) return;
    if (input.value.length >= Number(input.maxLength)) return;
    input.value += key;
    sanitize();
  }

  input.addEventListener('input', sanitize);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      call();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      end();
    } else if (state === 'ended' && event.key.length === 1) {
      event.preventDefault();
      dismiss();
    }
  });

  /** The physical keyboard works wherever the focus is in the phone (or nowhere on the page). */
  function onKey(event) {
    if (event.target === input || event.ctrlKey || event.metaKey || event.altKey) return;
    if (/^[0-9*#]$/.test(event.key)) {
      event.preventDefault();
      press(event.key);
    } else if (event.key === 'Backspace') {
      event.preventDefault();
      clear();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      end();
    } else if (event.key === 'Enter' && event.target === document.body) {
      event.preventDefault();
      call();
    }
  }
  root.addEventListener('keydown', onKey);
  document.addEventListener('keydown', (event) => {
    if (event.target === document.body) onKey(event);
  });

  root.querySelector('#key-call').addEventListener('click', call);
  root.querySelector('#key-end').addEventListener('click', end);
  root.querySelector('#key-clear').addEventListener('click', clear);

  setState('idle');
  return {
    render,
    get state() {
      return state;
    },
  };
}
