/* global document, fetch */
// A WhatsApp chat: what the person types or taps goes to POST /simulator/whatsapp, which signs
// a Cloud API notification and posts it to the service's real /whatsapp webhook; the answer is
// the list of messages the channel sent to the Graph API (text, list, reply buttons), drawn
// here the way WhatsApp draws them. Tapping a list row sends a list_reply, a button a button_reply.

/**
 * WhatsApp's own light formatting (*bold*, _italic_), as text nodes and elements: never HTML
 * from the server.
 */
function formatted(text) {
  const fragment = document.createDocumentFragment();
  const pattern = /\*([^*\n]+)\*|_([^_\n]+)_/g;
  let last = 0;
  for (const match of String(text).matchAll(pattern)) {
    if (match.index > last) fragment.append(text.slice(last, match.index));
    const el = document.createElement(match[1] !== undefined ? 'strong' : 'em');
    el.textContent = match[1] ?? match[2];
    fragment.append(el);
    last = match.index + match[0].length;
  }
  if (last < text.length) fragment.append(text.slice(last));
  return fragment;
}

/**
 * @param {object} deps
 * @param {ReturnType<import('./i18n.js').createI18n>} deps.i18n
 * @param {() => {phoneNumber: string}} deps.settings
 * @param {boolean} deps.enabled the server has the chat (development, WHATSAPP_* unset)
 */
export function createWhatsApp({ i18n, settings, enabled }) {
  const form = document.querySelector('#wa-form');
  const input = document.querySelector('#wa-text');
  const sendButton = document.querySelector('#wa-send');
  const thread = document.querySelector('#wa-thread');
  const status = document.querySelector('#wa-status');
  document.querySelector('#wa-off').hidden = enabled;
  input.disabled = !enabled;
  sendButton.disabled = !enabled;

  /** { direction: 'out', text } | { direction: 'in', message }: kept to relabel on a language switch. */
  const items = [];
  let statusMessage = null;
  let busy = false;
  let listCount = 0;

  function setStatus(message) {
    statusMessage = message;
    status.textContent = message ? i18n.t(message.key, message.params) : '';
    status.classList.toggle('error', Boolean(message?.error));
  }

  function who(direction) {
    const span = document.createElement('span');
    span.className = 'visually-hidden';
    span.textContent = `${i18n.t(direction === 'out' ? 'web.wa.you' : 'web.wa.service')}: `;
    return span;
  }

  function paragraph(className, text) {
    const p = document.createElement('p');
    p.className = className;
    p.append(formatted(text));
    return p;
  }

  /** A list message: its button opens the rows (title, description); a row sends a list_reply. */
  function listPart(interactive) {
    const id = `wa-rows-${++listCount}`;
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'wa-list-open';
    open.textContent = `☰ ${interactive.action.button}`;
    open.setAttribute('aria-expanded', 'false');
    open.setAttribute('aria-controls', id);
    const sheet = document.createElement('div');
    sheet.className = 'wa-rows';
    sheet.id = id;
    sheet.hidden = true;
    sheet.setAttribute('role', 'group');
    sheet.setAttribute('aria-label', i18n.t('web.wa.rows'));
    for (const section of interactive.action.sections ?? []) {
      if (section.title) {
        const title = document.createElement('p');
        title.className = 'wa-section';
        title.textContent = section.title;
        sheet.append(title);
      }
      for (const row of section.rows ?? []) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'wa-row';
        button.dataset.id = row.id;
        const title = document.createElement('span');
        title.className = 'wa-row-title';
        title.textContent = row.title;
        button.append(title);
        if (row.description) {
          const description = document.createElement('span');
          description.className = 'wa-row-description';
          description.textContent = row.description;
          button.append(description);
        }
        button.addEventListener('click', () => {
          sheet.hidden = true;
          open.setAttribute('aria-expanded', 'false');
          void send(
            {
              reply: {
                type: 'list_reply',
                id: row.id,
                title: row.title,
                ...(row.description ? { description: row.description } : {}),
              },
            },
            row.title,
          );
        });
        sheet.append(button);
      }
    }
    open.addEventListener('click', () => {
      sheet.hidden = !sheet.hidden;
      open.setAttribute('aria-expanded', String(!sheet.hidden));
    });
    return [open, sheet];
  }

  /** Reply buttons (at most 3): each sends a button_reply. */
  function buttonsPart(interactive) {
    const box = document.createElement('div');
    box.className = 'wa-buttons';
    for (const { reply } of interactive.action.buttons ?? []) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'wa-reply';
      button.dataset.id = reply.id;
      button.textContent = reply.title;
      button.addEventListener('click', () =>
        send({ reply: { type: 'button_reply', id: reply.id, title: reply.title } }, reply.title),
      );
      box.append(button);
    }
    return [box];
  }

  function renderItem(item) {
    const li = document.createElement('li');
    li.className = `wa-bubble ${item.direction}`;
    li.append(who(item.direction));
    if (item.direction === 'out') {
      li.dataset.kind = 'text';
      li.append(paragraph('wa-body', item.text));
      return li;
    }
    const message = item.message;
    if (message.type === 'text') {
      li.dataset.kind = 'text';
      li.append(paragraph('wa-body', message.text?.body ?? ''));
      return li;
    }
    if (message.type !== 'interactive') {
      // A template (broadcasts outside the 24-hour window): its name is all there is.
      li.dataset.kind = message.type;
      li.append(paragraph('wa-body', `[${message.type}] ${message.template?.name ?? ''}`));
      return li;
    }
    const interactive = message.interactive;
    li.dataset.kind = interactive.type;
    if (interactive.header?.text) li.append(paragraph('wa-header', interactive.header.text));
    li.append(paragraph('wa-body', interactive.body?.text ?? ''));
    if (interactive.footer?.text) li.append(paragraph('wa-footer', interactive.footer.text));
    li.append(...(interactive.type === 'list' ? listPart(interactive) : buttonsPart(interactive)));
    return li;
  }

  function renderThread() {
    thread.replaceChildren();
    if (items.length === 0) {
      const empty = document.createElement('li');
      empty.className = 'empty';
      empty.textContent = i18n.t('web.wa.empty');
      thread.append(empty);
      return;
    }
    for (const item of items) thread.append(renderItem(item));
    thread.scrollTop = thread.scrollHeight;
  }

  function add(item) {
    if (items.length === 0) thread.replaceChildren();
    items.push(item);
    thread.append(renderItem(item));
    thread.scrollTop = thread.scrollHeight;
  }

  /** One message of the person's: a text, or the row or button they tapped (shown by its title). */
  async function send(content, shown) {
    if (!enabled || busy) return;
    busy = true;
    add({ direction: 'out', text: shown });
    setStatus({ key: 'web.wa.waiting' });
    sendButton.disabled = true;
    try {
      const response = await fetch('/simulator/whatsapp', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ phoneNumber: settings().phoneNumber, ...content }),
      });
      if (!response.ok) {
        setStatus({ key: 'web.wa.error', params: { status: response.status }, error: true });
        return;
      }
      const { messages } = await response.json();
      for (const message of messages ?? []) add({ direction: 'in', message });
      setStatus((messages ?? []).length === 0 ? { key: 'web.wa.noReply' } : null);
    } catch {
      setStatus({ key: 'web.wa.networkError', error: true });
    } finally {
      busy = false;
      sendButton.disabled = false;
      thread.dataset.count = String(items.length);
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (text === '') return;
    input.value = '';
    void send({ text }, text);
  });

  return {
    render() {
      renderThread();
      if (statusMessage) setStatus(statusMessage);
    },
  };
}
