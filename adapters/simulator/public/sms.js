/* global document, fetch, crypto, URLSearchParams, setTimeout, setInterval */
// An SMS thread: messages go to the real POST /sms route (Africa's Talking's incoming-SMS form:
// from, to, text, date, id, linkId, networkCode); replies are read from the test outbox at
// GET /dev/outbox (a JSON array, newest last) and shown with their segment count and encoding.

const FAST_POLL_MS = 300;
const SLOW_POLL_MS = 2_000;
const WAIT_FOR_REPLY_MS = 10_000;
const EXPECT_WINDOW_MS = 3_000;

/** The outbox entries, whatever the envelope: a bare array or { messages: [...] }. */
export function outboxEntries(body) {
  if (Array.isArray(body)) return body;
  if (body && Array.isArray(body.messages)) return body.messages;
  if (body && Array.isArray(body.outbox)) return body.outbox;
  return [];
}

/**
 * @param {object} deps
 * @param {ReturnType<import('./i18n.js').createI18n>} deps.i18n
 * @param {() => {phoneNumber: string, shortcode: string, networkCode: string}} deps.settings
 * @param {(text: string) => {septets: number, outside: string[]}} deps.count
 */
export function createSms({ i18n, settings }) {
  const form = document.querySelector('#sms-form');
  const textarea = document.querySelector('#sms-text');
  const sendButton = document.querySelector('#sms-send');
  const thread = document.querySelector('#sms-thread');
  const status = document.querySelector('#sms-status');

  /** This phone's outbox entries already shown, or older than the page or the number's change. */
  let seen = 0;
  let ready = false;
  let seenFor = '';
  /** Bubbles kept as data so a language switch can relabel them. */
  const bubbles = [];
  let statusMessage = null;
  let waitingSince = 0;
  /** A USSD answer may send an SMS: look for it until then. */
  let expectUntil = 0;
  let watching = false;

  function setStatus(message) {
    statusMessage = message;
    status.textContent = message ? i18n.t(message.key, message.params) : '';
    status.classList.toggle('error', Boolean(message?.error));
  }

  function metaText(bubble) {
    const { segments, encoding } = bubble;
    if (segments === undefined && !encoding) return '';
    const label = encoding
      ? String(encoding)
          .toUpperCase()
          .replace(/^GSM[-_]?7$/, 'GSM-7')
      : '?';
    return segments === 1
      ? i18n.t('web.sms.segmentsOne', { encoding: label })
      : i18n.t('web.sms.segmentsMany', { count: segments ?? '?', encoding: label });
  }

  function renderBubble(bubble) {
    const li = document.createElement('li');
    li.className = `bubble ${bubble.direction}`;
    const who = document.createElement('span');
    who.className = 'who';
    who.textContent = i18n.t(bubble.direction === 'out' ? 'web.sms.you' : 'web.sms.service');
    const body = document.createElement('span');
    body.className = 'body';
    body.textContent = bubble.text;
    li.append(who, body);
    if (bubble.direction === 'in') {
      const meta = document.createElement('span');
      meta.className = 'meta';
      meta.textContent = metaText(bubble);
      if (/ucs/i.test(String(bubble.encoding ?? ''))) meta.classList.add('ucs2');
      li.append(meta);
    }
    return li;
  }

  function renderThread() {
    thread.replaceChildren();
    if (bubbles.length === 0) {
      const empty = document.createElement('li');
      empty.className = 'empty';
      empty.textContent = i18n.t('web.sms.empty');
      thread.append(empty);
      return;
    }
    for (const bubble of bubbles) thread.append(renderBubble(bubble));
    thread.scrollTop = thread.scrollHeight;
  }

  function add(bubble) {
    if (bubbles.length === 0) thread.replaceChildren();
    bubbles.push(bubble);
    thread.append(renderBubble(bubble));
    thread.scrollTop = thread.scrollHeight;
  }

  /** The outbox filtered by the server to one number (entries name recipients by pseudonym only). */
  async function readOutbox(phone) {
    const response = await fetch(`/dev/outbox?to=${encodeURIComponent(phone)}`, {
      headers: { accept: 'application/json' },
      cache: 'no-store',
    });
    if (!response.ok) return null;
    return outboxEntries(await response.json());
  }

  /** One look at the outbox at a time: a background look and a send's look share the result. */
  let looking = null;
  function poll() {
    looking ??= look().finally(() => {
      looking = null;
    });
    return looking;
  }

  /** Shows the outbox entries addressed to this phone that arrived since the last look. */
  async function look() {
    const phone = settings().phoneNumber;
    if (phone !== seenFor) {
      seenFor = phone;
      ready = false;
    }
    let entries;
    try {
      entries = await readOutbox(phone);
    } catch {
      return 0;
    }
    if (!entries) return 0;
    if (!ready) {
      seen = entries.length;
      ready = true;
      return 0;
    }
    if (entries.length < seen) seen = 0; // the outbox was cleared
    let added = 0;
    for (const entry of entries.slice(seen)) {
      add({
        direction: 'in',
        text: String(entry.text ?? entry.message ?? ''),
        segments: entry.segments,
        encoding: entry.encoding,
      });
      added++;
    }
    seen = entries.length;
    if (added > 0 && waitingSince) {
      waitingSince = 0;
      setStatus(null);
    }
    return added;
  }

  async function send(text) {
    const { phoneNumber, shortcode, networkCode } = settings();
    add({ direction: 'out', text });
    setStatus({ key: 'web.sms.waiting' });
    sendButton.disabled = true;
    try {
      if (!ready) await poll();
      waitingSince = Date.now();
      const id = crypto.randomUUID ? crypto.randomUUID() : String(Date.now());
      const response = await fetch('/sms', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          from: phoneNumber,
          to: shortcode,
          text,
          date: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
          id,
          linkId: String(Date.now()),
          networkCode,
        }),
      });
      if (!response.ok) {
        waitingSince = 0;
        setStatus({ key: 'web.sms.error', params: { status: response.status }, error: true });
        return;
      }
      while (waitingSince && Date.now() - waitingSince < WAIT_FOR_REPLY_MS) {
        if ((await poll()) > 0) return;
        await new Promise((resolve) => setTimeout(resolve, FAST_POLL_MS));
      }
      if (waitingSince) {
        waitingSince = 0;
        setStatus({ key: 'web.sms.noReply' });
      }
    } catch {
      waitingSince = 0;
      setStatus({ key: 'web.sms.networkError', error: true });
    } finally {
      sendButton.disabled = false;
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = textarea.value.trim();
    if (text === '') return;
    textarea.value = '';
    void send(text);
  });
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  // Late replies (a second page, a slow sender) still reach the thread.
  void poll();
  setInterval(() => {
    if (!waitingSince) void poll();
  }, SLOW_POLL_MS);

  return {
    /** After a USSD answer: look a few times in the next seconds for an SMS it sent. */
    async expect() {
      expectUntil = Date.now() + EXPECT_WINDOW_MS;
      if (watching) return; // the running watch now looks a little longer
      watching = true;
      try {
        while (Date.now() < expectUntil) {
          await new Promise((resolve) => setTimeout(resolve, FAST_POLL_MS * 2));
          if (!waitingSince && (await poll()) > 0) return;
        }
      } finally {
        watching = false;
      }
    },
    render() {
      renderThread();
      if (statusMessage) setStatus(statusMessage);
    },
  };
}
