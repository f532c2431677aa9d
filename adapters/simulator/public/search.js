/* global document, fetch, URLSearchParams */
// The search box over GET /api/search?q=...&limit=N → { query, results: [{ id, theme, number, label, text, score }] }.

const LIMIT = 10;

/** @param {{ i18n: ReturnType<import('./i18n.js').createI18n>, reportLang: string }} deps */
export function createSearch({ i18n, reportLang }) {
  const form = document.querySelector('#search-form');
  const input = document.querySelector('#search-q');
  const status = document.querySelector('#search-status');
  const list = document.querySelector('#search-results');
  let last = null;
  let statusMessage = null;

  function setStatus(message) {
    statusMessage = message;
    status.textContent = message ? i18n.t(message.key, message.params) : '';
    status.classList.toggle('error', Boolean(message?.error));
  }

  function render() {
    list.replaceChildren();
    if (statusMessage) setStatus(statusMessage);
    if (!last) return;
    for (const result of last.results) {
      const li = document.createElement('li');
      const heading = document.createElement('h3');
      heading.textContent = `${result.id} · ${result.label}`;
      const quote = document.createElement('blockquote');
      quote.lang = reportLang;
      quote.textContent = result.text;
      const meta = document.createElement('p');
      meta.className = 'meta';
      const score = typeof result.score === 'number' ? result.score.toFixed(2) : String(result.score ?? '');
      meta.textContent = `${i18n.t('web.search.theme', { theme: result.theme })} · ${i18n.t('web.search.score', { score })}`;
      li.append(heading, quote, meta);
      list.append(li);
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const q = input.value.trim();
    if (q === '') return;
    try {
      const response = await fetch(`/api/search?${new URLSearchParams({ q, limit: String(LIMIT) })}`, {
        headers: { accept: 'application/json' },
      });
      if (!response.ok) {
        last = null;
        setStatus({ key: 'web.search.error', params: { status: response.status }, error: true });
        render();
        return;
      }
      const body = await response.json();
      last = { query: body.query ?? q, results: Array.isArray(body.results) ? body.results : [] };
      setStatus(
        last.results.length === 0
          ? { key: 'web.search.none', params: { query: last.query } }
          : { key: 'web.search.count', params: { count: last.results.length, query: last.query } },
      );
      render();
    } catch {
      last = null;
      setStatus({ key: 'web.search.error', params: { status: 0 }, error: true });
      render();
    }
  });

  return { render };
}
