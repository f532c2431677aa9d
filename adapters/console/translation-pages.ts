import type { LangCounts } from '../../src/content/lang-state.js';
import type { Problem, Review } from '../../src/i18n/catalog.js';
import { REFERENCE_LANG } from '../../src/i18n/index.js';
import type { TranslationVersion } from '../../src/translations/store.js';
import { html, type Html } from './html.js';
import { langField, layout, withLang, type PageContext } from './pages.js';
import { tr, type ConsoleKey } from './strings.js';

/** One language's progress and publications, as the translations page shows it. */
export interface LangOverview {
  lang: string;
  name: string;
  version: number;
  counts: LangCounts;
  versions: TranslationVersion[];
}

/** What the editor shows of one entry: the French source, the report's words, the live text. */
export interface EntryView {
  lang: string;
  id: string;
  french: string;
  report?: string;
  text?: string;
  review: Review;
  version: number;
  hint: string;
  /** A label's summary or a summary's label: one review covers both, so the editor shows both. */
  other?: { id: string; text: string };
}

export interface Verdict {
  problems: string[];
  warnings: string[];
  notice?: string;
}

const reviewText = (ctx: PageContext, review: Review) =>
  review.state === 'reviewed'
    ? tr(ctx.lang, 'tr.state.reviewed', { reviewer: review.reviewer, date: review.date })
    : tr(ctx.lang, 'tr.state.draft');

export const problemText = (p: Problem): string => `${p.key}: ${p.what}`;

function verdictBlock(ctx: PageContext, verdict?: Verdict): Html {
  if (!verdict) return html``;
  const { lang } = ctx;
  return html`<section id="verdict" aria-label="${tr(lang, 'tr.verdict')}">
    ${verdict.notice ? html`<p class="ok" role="status">${verdict.notice}</p>` : html``}
    ${
      verdict.problems.length > 0
        ? html`<div class="error" role="alert">
            <p>${tr(lang, 'tr.refused')}</p>
            <ul id="problems">
              ${verdict.problems.map((p) => html`<li>${p}</li>`)}
            </ul>
          </div>`
        : verdict.notice
          ? html``
          : html`<p class="ok" id="passes">${tr(lang, 'tr.passes')}</p>`
    }
    ${
      verdict.warnings.length > 0
        ? html`<p>${tr(lang, 'tr.warnings')}</p>
            <ul id="warnings">
              ${verdict.warnings.map((w) => html`<li>${w}</li>`)}
            </ul>`
        : html``
    }
  </section>`;
}

function progressTable(ctx: PageContext, o: LangOverview): Html {
  const { lang } = ctx;
  const parts = ['catalog', 'themes', 'labels', 'summaries'] as const;
  return html`<div class="table-wrap">
    <table id="progress-${o.lang}">
      <thead>
        <tr>
          <th scope="col">${tr(lang, 'tr.part')}</th>
          <th scope="col">${tr(lang, 'tr.reviewed')}</th>
          <th scope="col">${tr(lang, 'tr.draft')}</th>
          <th scope="col">${tr(lang, 'tr.missing')}</th>
        </tr>
      </thead>
      <tbody>
        ${parts.map(
          (part) =>
            html`<tr data-part="${part}">
              <th scope="row">${tr(lang, `tr.part.${part}` as ConsoleKey)}</th>
              <td data-field="reviewed">${o.counts[part].reviewed}</td>
              <td data-field="draft">${o.counts[part].draft}</td>
              <td data-field="missing">${o.counts[part].missing}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function versionsTable(ctx: PageContext, o: LangOverview): Html {
  const { lang } = ctx;
  return html`<div class="table-wrap">
    <table id="versions-${o.lang}">
      <thead>
        <tr>
          <th scope="col">${tr(lang, 'col.version')}</th>
          <th scope="col">${tr(lang, 'col.by')}</th>
          <th scope="col">${tr(lang, 'col.at')}</th>
          <th scope="col">${tr(lang, 'col.entries')}</th>
        </tr>
      </thead>
      <tbody>
        ${
          o.versions.length === 0
            ? html`<tr>
                <td colspan="4" class="empty">${tr(lang, 'tr.noVersion')}</td>
              </tr>`
            : [...o.versions].reverse().map(
                (v) =>
                  html`<tr data-version="${v.version}">
                    <td>${v.version}</td>
                    <td>${v.publishedBy}</td>
                    <td>${v.publishedAt.slice(0, 16).replace('T', ' ')}</td>
                    <td>${v.changes.map((c) => c.id).join(', ')}</td>
                  </tr>`,
              )
        }
      </tbody>
    </table>
  </div>`;
}

export function translationsPage(
  ctx: PageContext,
  overviews: LangOverview[],
  options: { canPublish: boolean; verdict?: Verdict },
): string {
  const { lang } = ctx;
  const sections = overviews.map(
    (o) =>
      html`<section id="lang-${o.lang}">
        <h3>${tr(lang, 'tr.progress', { lang: `${o.name} (${o.lang})` })}</h3>
        <p>${tr(lang, 'tr.live', { version: o.version })}</p>
        ${progressTable(ctx, o)}
        <form method="get" action="/admin/translations/${o.lang}/entry" class="inline">
          ${langField(lang)}
          <label for="entry-${o.lang}">${tr(lang, 'tr.openLabel')}</label>
          <input id="entry-${o.lang}" name="id" required maxlength="80" />
          <button type="submit">${tr(lang, 'tr.open')}</button>
        </form>
        <p>
          ${tr(lang, 'tr.download')}:
          ${(['catalog', 'labels', 'summaries'] as const).map(
            (part) => html` <a href="/admin/translations/${o.lang}/po/${part}.po">${part}.po</a>`,
          )}
        </p>
        ${
          options.canPublish
            ? html`<form
                method="post"
                action="${withLang(`/admin/translations/${o.lang}/upload`, lang)}"
                enctype="multipart/form-data"
                class="upload-form"
              >
                <input type="hidden" name="_csrf" value="${ctx.csrf ?? ''}" />
                <label for="po-${o.lang}">${tr(lang, 'tr.upload')}</label>
                <input id="po-${o.lang}" name="po" type="file" accept=".po" multiple required />
                <p>${tr(lang, 'tr.uploadHelp')}</p>
                <button type="submit" name="mode" value="check">${tr(lang, 'tr.check')}</button>
                <button type="submit" name="mode" value="publish" id="upload-publish-${o.lang}">
                  ${tr(lang, 'tr.publish')}
                </button>
              </form>`
            : html`<p>${tr(lang, 'tr.readOnly')}</p>`
        }
        <h4>${tr(lang, 'tr.versions')}</h4>
        ${versionsTable(ctx, o)}
      </section>`,
  );
  return layout(
    ctx,
    tr(lang, 'nav.translations'),
    html`<h2>${tr(lang, 'tr.title')}</h2>
      <p>${tr(lang, 'tr.intro')}</p>
      ${verdictBlock(ctx, options.verdict)} ${sections}`,
  );
}

export function uploadPage(
  ctx: PageContext,
  lang: string,
  changes: Array<{ id: string; before?: string; after: string; review: Review }>,
  verdict: Verdict,
): string {
  const l = ctx.lang;
  return layout(
    ctx,
    tr(l, 'nav.translations'),
    html`<h2>${tr(l, 'tr.upload')} (${lang})</h2>
      ${verdictBlock(ctx, verdict)}
      <h3>${tr(l, 'tr.changes')}</h3>
      <div class="table-wrap">
        <table id="changes">
          <thead>
            <tr>
              <th scope="col">${tr(l, 'col.entry')}</th>
              <th scope="col">${tr(l, 'col.before')}</th>
              <th scope="col">${tr(l, 'col.after')}</th>
              <th scope="col">${tr(l, 'col.state')}</th>
            </tr>
          </thead>
          <tbody>
            ${
              changes.length === 0
                ? html`<tr>
                    <td colspan="4" class="empty">${tr(l, 'tr.nothing')}</td>
                  </tr>`
                : changes.map(
                    (c) =>
                      html`<tr data-entry="${c.id}">
                        <td>${c.id}</td>
                        <td>${c.before ?? ''}</td>
                        <td>${c.after}</td>
                        <td>${reviewText(ctx, c.review)}</td>
                      </tr>`,
                  )
            }
          </tbody>
        </table>
      </div>
      <p><a href="${withLang('/admin/translations', l)}">${tr(l, 'nav.translations')}</a></p>`,
  );
}

export function entryPage(
  ctx: PageContext,
  view: EntryView,
  options: {
    canPublish: boolean;
    verdict?: Verdict;
    form?: { text: string; reviewed: boolean; note: string };
  },
): string {
  const { lang } = ctx;
  const form = options.form ?? { text: view.text ?? '', reviewed: false, note: view.review.note ?? '' };
  return layout(
    ctx,
    view.id,
    html`<h2>${view.id} (${view.lang})</h2>
      ${verdictBlock(ctx, options.verdict)}
      <dl class="entry">
        <dt>${tr(lang, 'tr.french')}</dt>
        <dd id="french" lang="${REFERENCE_LANG}">${view.french}</dd>
        ${
          view.report
            ? html`<dt>${tr(lang, 'tr.report')}</dt>
                <dd id="report" lang="${REFERENCE_LANG}">${view.report}</dd>`
            : html``
        }
        ${
          view.other
            ? html`<dt>${view.other.id}</dt>
                <dd id="other" lang="${view.lang}">${view.other.text}</dd>`
            : html``
        }
        <dt>${tr(lang, 'tr.current')}</dt>
        <dd id="current" lang="${view.lang}" data-state="${view.review.state}">
          ${view.text ?? '—'} <small>(${reviewText(ctx, view.review)})</small>
        </dd>
      </dl>
      <p>${view.hint}</p>
      ${
        options.canPublish
          ? html`<form
              method="post"
              action="${withLang(`/admin/translations/${view.lang}/entry`, lang)}"
              class="entry-form"
            >
              <input type="hidden" name="_csrf" value="${ctx.csrf ?? ''}" />
              <input type="hidden" name="id" value="${view.id}" />
              <input type="hidden" name="expectedVersion" value="${view.version}" />
              <label for="text">${tr(lang, 'tr.text')}</label>
              <textarea id="text" name="text" rows="5" lang="${view.lang}" required maxlength="2000">
${form.text}</textarea>
              <label
                ><input
                  type="checkbox"
                  id="reviewed"
                  name="reviewed"
                  value="1"
                  ${form.reviewed ? 'checked' : ''}
                />
                ${tr(lang, view.other ? 'tr.markReviewedBoth' : 'tr.markReviewed')}</label
              >
              <label for="note">${tr(lang, 'tr.note')}</label>
              <input id="note" name="note" maxlength="280" value="${form.note}" />
              <button type="submit">${tr(lang, 'tr.publish')}</button>
            </form>`
          : html`<p>${tr(lang, 'tr.readOnly')}</p>`
      }
      <p><a href="${withLang('/admin/translations', lang)}">${tr(lang, 'nav.translations')}</a></p>`,
  );
}
