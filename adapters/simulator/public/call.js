/* global document, fetch, DOMParser, URL, URLSearchParams, setTimeout, clearTimeout */
// The "call" mode: a handset speaking Africa's Talking's voice dialect to the real POST /voice
// route. It plays each Play URL in the page, waits for keys as GetDigits says (numDigits,
// finishOnKey, timeout; a key interrupts the prompt), and when no key comes it moves on to the
// next action as the gateway does (the prompt once more, then the goodbye). A Redirect asks the
// line again without keys (the line says "in a moment" while a reading is being made). When the
// actions run out, the call ends and the final request (isActive=0) is sent. `data-played` and
// `data-audio-errors` count the files the browser decoded and started playing, or could not play.
import { newSessionId } from './phone.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

/** What a Play URL says: "/audio/seq/fr:prompt:a,fr:prompt:b.wav" → ["fr:prompt:a", "fr:prompt:b"]. */
export function itemsOf(url) {
  const path = decodeURIComponent(new URL(url, 'http://x').pathname);
  const seq = /^\/audio\/seq\/(.+)\.wav$/.exec(path);
  if (seq) return seq[1].split(',');
  const one = /^\/audio\/([^/]+)\/([^/]+)\/(.+)\.wav$/.exec(path);
  return one ? [`${one[1]}:${one[2]}:${one[3]}`] : [path];
}

/**
 * @param {object} deps
 * @param {HTMLElement} deps.root
 * @param {ReturnType<import('./i18n.js').createI18n>} deps.i18n
 * @param {() => {phoneNumber: string, shortcode: string}} deps.settings
 */
export function createCall({ root, i18n, settings }) {
  const status = root.querySelector('#call-status');
  const audio = root.querySelector('#call-audio');
  const dial = root.querySelector('#call-dial');
  const hangUp = root.querySelector('#call-hangup');
  const keypad = root.querySelector('#call-keys');
  /** @type {null | {sessionId: string, started: number, run: object, onKey?: (key: string) => void, stop?: () => void, cancel?: () => void}} */
  let call = null;
  let shown = { key: 'web.call.idle' };

  function show(key) {
    shown = { key };
    status.textContent = i18n.t(key);
    root.dataset.state = key.slice('web.call.'.length);
  }

  async function post(fields) {
    const response = await fetch('/voice', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        sessionId: call.sessionId,
        callerNumber: settings().phoneNumber,
        destinationNumber: settings().shortcode,
        direction: 'Inbound',
        ...fields,
      }),
    });
    const xml = await response.text();
    const doc = new DOMParser().parseFromString(xml, 'application/xml');
    return doc.documentElement?.tagName === 'Response' ? [...doc.documentElement.children] : [];
  }

  function play(url) {
    return new Promise((resolve) => {
      root.dataset.items = itemsOf(url).join(',');
      show('web.call.playing');
      const done = () => {
        audio.onended = null;
        audio.onerror = null;
        resolve();
      };
      const count = (name) => {
        root.dataset[name] = String(Number(root.dataset[name] ?? 0) + 1);
      };
      if (call) call.stop = done;
      audio.onplaying = () => count('played');
      audio.onended = done;
      audio.onerror = () => {
        count('audioErrors');
        done();
      };
      audio.src = url;
      audio.play().catch(done);
    });
  }

  /** The keys of one GetDigits: the digits, undefined on timeout, null if the call was ended. */
  function gather(action) {
    return new Promise((resolve) => {
      const numDigits = Number(action.getAttribute('numDigits')) || 0;
      const finishOnKey = action.getAttribute('finishOnKey');
      const timeoutMs = (Number(action.getAttribute('timeout')) || 5) * 1000;
      let digits = '';
      let timer;
      const finish = (value) => {
        clearTimeout(timer);
        call.onKey = undefined;
        call.cancel = undefined;
        resolve(value);
      };
      const arm = () => {
        clearTimeout(timer);
        show('web.call.waiting');
        timer = setTimeout(() => finish(undefined), timeoutMs);
      };
      call.cancel = () => finish(null);
      call.onKey = (key) => {
        // A key interrupts the prompt.
        audio.pause();
        call.stop?.();
        digits += key;
        if ((finishOnKey && key === finishOnKey) || (numDigits && digits.length >= numDigits)) finish(digits);
        else arm();
      };
      const prompt = action.querySelector('Play');
      if (prompt) void play(prompt.getAttribute('url')).then(() => call?.onKey && !digits && arm());
      else arm();
    });
  }

  async function run(actions) {
    const token = {};
    call.run = token;
    for (const action of actions) {
      if (!call || call.run !== token) return;
      if (action.tagName === 'Play') await play(action.getAttribute('url'));
      else if (action.tagName === 'Say') root.dataset.say = action.textContent ?? '';
      else if (action.tagName === 'GetDigits') {
        const digits = await gather(action);
        if (digits === null) return;
        if (digits === undefined) continue;
        return run(await post({ isActive: '1', dtmfDigits: digits }));
      } else if (action.tagName === 'Redirect') return run(await post({ isActive: '1' }));
    }
    if (call && call.run === token) await end();
  }

  async function end() {
    if (!call) return;
    const seconds = Math.round((Date.now() - call.started) / 1000);
    call.cancel?.();
    audio.pause();
    try {
      await post({ isActive: '0', durationInSeconds: String(seconds) });
    } finally {
      call = null;
      show('web.call.ended');
    }
  }

  dial.addEventListener('click', async () => {
    if (call) return;
    call = { sessionId: newSessionId(), started: Date.now(), run: {} };
    show('web.call.ringing');
    try {
      await run(await post({ isActive: '1' }));
    } catch {
      call = null;
      show('web.call.failed');
    }
  });
  hangUp.addEventListener('click', () => void end());
  for (const key of KEYS) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'digit';
    button.textContent = key;
    button.dataset.key = key;
    button.addEventListener('click', () => call?.onKey?.(key));
    keypad.append(button);
  }

  return {
    render() {
      show(shown.key);
    },
  };
}
