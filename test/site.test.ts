import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWhatsAppRenderer } from '../adapters/whatsapp/render.js';
import { recLabel } from '../src/content/localized.js';
import { languages, t } from '../src/i18n/index.js';
import { startService, type RunningService } from './support/service.js';
import { PAGE_BUDGET_BYTES, PAGE_KINDS, rawGet, SITE_ENV, withLang } from './support/site.js';

const BASE = SITE_ENV.PUBLIC_BASE_URL;
/** Whitespace as a browser sees it: any run is one space, none between two tags. */
const norm = (text: string) =>
  text
    .replace(/\s+/g, ' ')
    .replace(/> </g, '><')
    .replace(/ \/>/g, '>')
    .replace(/ >/g, '>')
    .replace(/<\/(\w+) >/g, '</$1>');
const escaped = (s: string) =>
  norm(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
const BROWSER = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('the public site over HTTP', () => {
  let running: RunningService;
  let dataDir: string;
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${running.baseUrl}${path}`, { headers: { ...BROWSER, ...headers }, redirect: 'manual' });
  const page = async (path: string) => {
    const res = await get(path);
    return { res, html: norm(await res.text()) };
  };
  const publish = async (id: string, input: Record<string, string>) => {
    await running.service.followUp.followUps.publish(id, {
      status: 'in_progress',
      date: '2025-03-01',
      source: 'https://www.sgg-mali.ml/journal-officiel',
      editor: 'Awa',
      ...input,
    } as never);
    await running.service.followUpSnapshot.refresh();
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dim-site-'));
    running = await startService({ ...SITE_ENV, DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await running.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when every page kind is asked in every language, then each is HTML in that language with its translations linked', async () => {
    for (const { kind, path } of PAGE_KINDS) {
      for (const { code } of languages()) {
        const { res, html } = await page(withLang(path, code));
        expect(res.status, `${kind} ${code}`).toBe(kind === 'not-found' ? 404 : 200);
        expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(res.headers.get('content-language')).toBe(code);
        expect(html).toContain(`<html lang="${code}">`);
        for (const other of languages())
          expect(html, `${kind} ${code} → ${other.code}`).toMatch(
            new RegExp(`<link rel="alternate" hreflang="${other.code}" href="${BASE}/`),
          );
        expect(html).toContain('hreflang="x-default"');
        // The switcher names each language in itself.
        for (const other of languages()) expect(html).toContain(`lang="${other.code}"`);
        expect(html).not.toMatch(/<script/i);
      }
    }
  });

  it('when a recommendation is opened, then the report’s words are verbatim and marked, our label and the source line apart', async () => {
    const rec = running.service.engine.recommendation('4.13')!;
    const { html } = await page('/r/4.13');
    const quote = /<blockquote lang="fr">([\s\S]*?)<\/blockquote>/.exec(html)![1]!;
    expect(quote).toContain(`<p>${escaped(rec.text)}</p>`);
    for (const item of rec.items ?? []) expect(quote).toContain(`<li>${escaped(item)}</li>`);
    expect(html).toContain(escaped(t('fr', 'recommendation.source')));
    expect(html).toContain(escaped(rec.label));
    expect(html).toContain(escaped(t('fr', 'site.rec.labelOurs')));
    expect(html).toContain('<meta property="og:title" content="Recommandation 4.13 : ');
    expect(html).toContain(`<link rel="canonical" href="${BASE}/r/4.13">`);
  });

  it('when a recommendation is opened in Bambara, then our summary is shown marked as ours and as a draft, the report still in French', async () => {
    const rec = running.service.engine.recommendation('2.15')!;
    const { html } = await page('/r/2.15?lang=bm');
    expect(html).toContain(escaped(t('bm', 'summary.ours')));
    expect(html).toContain(`<span class="tag">${escaped(t('bm', 'site.draftTag'))}</span>`);
    expect(html).toContain(`<p class="draft">${escaped(t('bm', 'site.draftLanguage'))}</p>`);
    expect(html).toContain(`<blockquote lang="fr"><p>${escaped(rec.text)}</p>`);
    expect(html).toContain(escaped(recLabel(rec, 'bm')));
  });

  it('when a recommendation repeats another, then the page says so and links it', async () => {
    const { html } = await page('/r/4.11');
    expect(html).toContain(`<a href="/r/4.57">${escaped(t('fr', 'repeat.same', { id: '4.57' }))}</a>`);
  });

  it('when a recommendation is first, last or between themes, then previous and next follow the report’s order', async () => {
    expect((await page('/r/2.1')).html).toContain('<a href="/r/1.41" rel="prev">');
    expect((await page('/r/1.41')).html).toContain('<a href="/r/2.1" rel="next">');
    const last = (await page('/r/5.68')).html;
    expect(last).not.toContain('rel="next"');
    expect((await page('/r/1.1')).html).not.toContain('rel="prev"');
  });

  it('when the channels are configured, then a recommendation offers the real short code, dial string and deep links', async () => {
    const { html } = await page('/r/2.15?lang=en');
    expect(html).toContain('<a href="tel:*384*12*3*215%23">*384*12*3*215#</a>');
    expect(html).toContain('<a href="sms:36000?body=2.15">36000</a>');
    expect(html).toContain('<a href="https://t.me/DialogueMaliBot?start=r2_15">@DialogueMaliBot</a>');
    expect(html).toContain('<a href="https://wa.me/22370000000?text=2.15">+22370000000</a>');
    expect(html).toContain('<a href="tel:+22320000000">');
    // Shares carry the page's own address.
    expect(html).toContain(`https://t.me/share/url?url=${encodeURIComponent(`${BASE}/r/2.15?lang=en`)}`);
  });

  it('when an editor publishes a follow-up, then the page shows it with its date and source, escaped, and the counts follow', async () => {
    const before = await get('/t/3');
    const etag = before.headers.get('etag')!;
    expect((await get('/t/3', { 'if-none-match': etag })).status).toBe(304);
    await publish('3.7', {
      status: 'done',
      date: '2025-02-14',
      note: 'Voir <script>alert(1)</script> & "plus"',
    });
    const after = await get('/t/3');
    expect(after.headers.get('etag')).not.toBe(etag);
    const theme = await after.text();
    expect(theme).toContain('<span class="s s-done">Réalisée</span>');
    const { html } = await page('/r/3.7');
    expect(html).toContain('<time datetime="2025-02-14">14 février 2025</time>');
    expect(html).toContain(
      '<a href="https://www.sgg-mali.ml/journal-officiel" rel="nofollow noopener noreferrer">',
    );
    expect(html).toContain('Voir &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;plus&quot;');
    expect(html).not.toContain('<script>');
    const filtered = (await page('/t/3?status=done')).html;
    expect(filtered).toContain('<a href="/r/3.7">');
    expect(filtered).not.toContain('<a href="/r/3.8">');
    const home = (await page('/')).html;
    expect(home).toContain('<a href="/t/3?status=done"><span class="s s-done">Réalisée</span> 1</a>');
    expect(home).toMatch(/<h2 id="news">[^<]*<\/h2>\s*<ul class="list"><li><time datetime="2025-02-14">/);
  });

  it('when the search page is asked, then it gives the engine’s own verdict, and a number or theme leads to its page', async () => {
    const { engine } = running.service;
    for (const query of ['eau potable', 'route kidal', 'femmes', 'jeunes emploi']) {
      const reply = engine.respond({ kind: 'search', query });
      const html = (await page(`/search?q=${encodeURIComponent(query)}`)).html;
      const shown = [...html.matchAll(/<li><a href="\/r\/([\d.]+)">/g)].map((m) => m[1]);
      const expected =
        reply.kind === 'searchResults'
          ? reply.hits.map((h) => h.recommendation.id)
          : reply.kind === 'recommendation'
            ? [reply.recommendation.id]
            : [];
      expect(shown, query).toEqual(expected);
    }
    const number = await get('/search?q=2.15&lang=bm');
    expect(number.status).toBe(303);
    expect(number.headers.get('location')).toBe('/r/2.15?lang=bm');
    expect((await get('/search?q=t4')).headers.get('location')).toBe('/t/4');
    const outside = (await page('/search?q=wagner')).html;
    expect(outside).toContain(escaped(t('fr', 'site.search.notInReport', { query: 'wagner' })));
    const tooFar = (await page('/search?q=2.99')).html;
    expect(tooFar).toContain(escaped(t('fr', 'site.search.noSuchNumber', { theme: 2, max: 51 })));
    const hostile = (await page(`/search?q=${encodeURIComponent('"><script>alert(1)</script>')}`)).html;
    expect(hostile).not.toContain('<script>');
    expect(hostile).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it('when pages are asked with compression, then each kind weighs at most 30 KB on the wire in every language', async () => {
    for (const { kind, path } of PAGE_KINDS) {
      for (const { code } of languages()) {
        for (const encoding of ['br', 'gzip']) {
          const answer = await rawGet(`${running.baseUrl}${withLang(path, code)}`, {
            ...BROWSER,
            'accept-encoding': encoding,
          });
          expect(answer.headers['content-encoding'], `${kind} ${code}`).toBe(encoding);
          expect(answer.wire.length, `${kind} ${code} ${encoding}`).toBeLessThanOrEqual(PAGE_BUDGET_BYTES);
          expect(answer.text).toContain('</html>');
        }
      }
    }
    const plain = await rawGet(`${running.baseUrl}/r/2.15`, { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');
    const brotli = await rawGet(`${running.baseUrl}/r/2.15`, { 'accept-encoding': 'br' });
    expect(brotli.text).toBe(plain.text);
  });

  it('when a page is served, then it is cacheable and its policy allows no script and only its own inline style', async () => {
    const res = await get('/r/2.15');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('etag')).toMatch(/^W\/"[\w-]+"$/);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    const style = /<style>([\s\S]*?)<\/style>/.exec(await res.text())![1]!;
    expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    const head = await fetch(`${running.baseUrl}/r/2.15`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(res.headers.get('etag'));
  });

  it('when a URL is bad, then a 404 page answers, never a 5xx', async () => {
    const bad = [
      '/r/9.99',
      '/r/abc',
      '/r/2.15.1',
      `/r/${'9'.repeat(300)}`,
      '/t/0',
      '/t/99',
      '/t/2?status=bogus',
      '/t/2?status=done&status=none',
      '/?lang=xx',
      '/?lang=bm&lang=en',
      '/search?q=eau&q=route',
      '/no/such/page',
    ];
    for (const path of bad) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
      expect(await res.text(), path).toContain(escaped(t('fr', 'site.notFound.title')));
    }
    // A broken percent-escape is refused before any route: a 400, still no 5xx.
    expect((await get('/r/%E0%A4%A')).status).toBe(400);
    // 2,15 typed by hand: the one stable address.
    const comma = await get('/r/2,15?lang=en');
    expect(comma.status).toBe(301);
    expect(comma.headers.get('location')).toBe('/r/2.15?lang=en');
    // A client that wants JSON keeps the app's JSON 404.
    const json = await fetch(`${running.baseUrl}/no/such/page`, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(404);
    expect(await json.json()).toEqual({ error: 'not_found' });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/r/', '/t/', '/search?q=', '/?lang=', '/t/2?status='),
        fc.string({ maxLength: 40 }),
        async (prefix, tail) => {
          const res = await get(`${prefix}${encodeURIComponent(tail)}`);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('when the open data is downloaded, then the CSV and JSON hold the 300 recommendations with the report’s words and the statuses', async () => {
    await publish('1.2', { status: 'announced', date: '2025-01-20', note: '=HYPERLINK("x")' });
    const { corpus } = running.service;
    const json = (await (await get('/data/recommendations.json')).json()) as {
      licence: { ours: string };
      recommendations: Array<{ id: string; text: string; followUp: { status: string } | null; url: string }>;
    };
    expect(json.licence.ours).toBe('CC-BY-4.0');
    expect(json.recommendations).toHaveLength(300);
    for (const [i, rec] of corpus.recommendations.entries())
      expect(json.recommendations[i]!.text).toBe(rec.text);
    expect(json.recommendations.find((r) => r.id === '1.2')!.followUp!.status).toBe('announced');
    expect(json.recommendations.find((r) => r.id === '1.3')!.followUp).toBeNull();
    expect(json.recommendations[0]!.url).toBe(`${BASE}/r/1.1`);
    const csvRes = await get('/data/recommendations.csv');
    expect(csvRes.headers.get('content-disposition')).toContain('attachment');
    const bytes = Buffer.from(await csvRes.arrayBuffer());
    // A byte-order mark first, so spreadsheets read UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.subarray(3).toString('utf8');
    expect(csv.startsWith('id,theme,number,theme_title,text,label,status')).toBe(true);
    const records = parseCsv(csv);
    expect(records).toHaveLength(301);
    const row = records.find((r) => r[0] === '1.2')!;
    expect(row[6]).toBe('announced');
    expect(row[9]).toBe(`'=HYPERLINK("x")`);
    expect(records.find((r) => r[0] === '4.13')![4]).toContain(
      corpus.recommendations.find((r) => r.id === '4.13')!.text,
    );
  });

  it('when the Atom feed is read, then it is valid XML with one entry per published status, linked to its page', async () => {
    await publish('5.3', { status: 'abandoned', date: '2025-04-02' });
    const res = await get('/feed.atom?lang=en');
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const feed = new XMLParser({ ignoreAttributes: false }).parse(await res.text()) as {
      feed: { entry: Array<{ id: string; title: string; link: { '@_href': string } }>; '@_xml:lang': string };
    };
    expect(feed.feed['@_xml:lang']).toBe('en');
    const entries = ([] as typeof feed.feed.entry).concat(feed.feed.entry);
    const entry = entries.find((e) => e.id.includes('/r/5.3#'))!;
    expect(entry.title).toContain('Abandoned');
    expect(entry.link['@_href']).toBe(`${BASE}/r/5.3?lang=en`);
    expect(entries[0]).toBe(entry);
  });

  it('when WhatsApp shares a recommendation with the site on, then the message ends on its page and is previewed', () => {
    const renderer = createWhatsAppRenderer(running.service.engine, BASE);
    const rec = running.service.engine.recommendation('2.15')!;
    const [message] = renderer.share(rec, 'bm');
    expect(message).toMatchObject({ type: 'text', text: { preview_url: true } });
    expect((message as { text: { body: string } }).text.body).toMatch(
      /\nhttps:\/\/dialogue\.example\.ml\/r\/2\.15\?lang=bm$/,
    );
    const [plain] = createWhatsAppRenderer(running.service.engine).share(rec, 'bm');
    expect((plain as { text: { body: string; preview_url?: boolean } }).text.preview_url).toBeUndefined();
  });
});

describe('the public site switched off', () => {
  it('when PUBLIC_SITE=off, then its pages do not exist and a bad URL gets the JSON 404', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dim-site-off-'));
    const off = await startService({
      PUBLIC_SITE: 'off',
      SIMULATOR: 'off',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    });
    try {
      expect(off.config.publicPageBase).toBeUndefined();
      for (const path of ['/', '/r/2.15', '/about', '/feed.atom', '/data/recommendations.csv']) {
        const res = await fetch(`${off.baseUrl}${path}`, { headers: BROWSER });
        expect(res.status, path).toBe(404);
        expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
      }
    } finally {
      await off.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** RFC 4180 records (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += ch;
  }
  return records;
}
