import type { BroadcastProgress, DryRun, SegmentCounter } from '../../src/broadcast/model.js';
import { languageCodes, REFERENCE_LANG } from '../../src/i18n/index.js';
import { html, raw, type Html } from './html.js';
import { layout, withLang, type PageContext } from './pages.js';
import { languageName, tr, type ConsoleKey, type ConsoleLang } from './strings.js';

/**
 * The form's fields as posted: a text per language of the catalogs (the field is named by the
 * language's code) and the audience ("all", "theme:3", "lang:bm").
 */
export interface BroadcastForm {
  texts: Record<string, string>;
  audience: string;
}

export const emptyForm = (): BroadcastForm => ({ texts: {}, audience: 'all' });

function audienceLabel(lang: ConsoleLang, audience: string): string {
  const [kind, value = ''] = audience.split(':');
  if (kind === 'theme') return tr(lang, 'bc.audience.theme', { theme: value });
  if (kind === 'lang' && languageCodes().includes(value))
    return tr(lang, 'bc.audience.lang', { lang: languageName(value, lang) });
  return tr(lang, 'bc.audience.all');
}

const script = raw('<script src="/admin/static/broadcast.js"></script>');

function hidden(ctx: PageContext, form: BroadcastForm): Html {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrf ?? ''}" />
    ${languageCodes().map((l) => html`<input type="hidden" name="${l}" value="${form.texts[l] ?? ''}" />`)}
    <input type="hidden" name="audience" value="${form.audience}" />`;
}

function composer(ctx: PageContext, form: BroadcastForm, themes: number[], count: SegmentCounter): Html {
  const { lang } = ctx;
  const counter = (text: string) => {
    const { segments, encoding } = count(text);
    return tr(lang, 'bc.counter', { characters: [...text].length, segments, encoding });
  };
  const audiences = ['all', ...themes.map((t) => `theme:${t}`), ...languageCodes().map((l) => `lang:${l}`)];
  return html`<form method="post" action="${withLang('/admin/broadcasts/dry-run', lang)}" id="composer">
    <h3>${tr(lang, 'bc.new')}</h3>
    <input type="hidden" name="_csrf" value="${ctx.csrf ?? ''}" />
    ${languageCodes().map(
      (l) =>
        html`<label for="text-${l}"
            >${
              l === REFERENCE_LANG
                ? tr(lang, 'bc.text.reference', { lang: languageName(l, lang) })
                : tr(lang, 'bc.text.other', {
                    lang: languageName(l, lang),
                    reference: languageName(REFERENCE_LANG, lang),
                  })
            }</label
          >
          <textarea
            id="text-${l}"
            name="${l}"
            rows="4"
            maxlength="1000"
            lang="${l}"
            data-count
            ${l === REFERENCE_LANG ? 'required' : ''}
          >
${form.texts[l] ?? ''}</textarea>
          <output id="count-${l}" for="text-${l}" aria-live="polite" data-template="${tr(lang, 'bc.counter')}"
            >${counter(form.texts[l] ?? '')}</output
          >`,
    )}
    <label for="audience">${tr(lang, 'bc.audience')}</label>
    <select id="audience" name="audience">
      ${audiences.map(
        (a) =>
          html`<option value="${a}" ${a === form.audience ? 'selected' : ''}>
            ${audienceLabel(lang, a)}
          </option>`,
      )}
    </select>
    <button type="submit">${tr(lang, 'bc.dryRun')}</button>
  </form>`;
}

function progressTable(ctx: PageContext, rows: BroadcastProgress[], live: boolean): Html {
  const { lang } = ctx;
  const cols: Array<[ConsoleKey, keyof BroadcastProgress]> = [
    ['col.total', 'total'],
    ['col.sent', 'sent'],
    ['col.failed', 'failed'],
    ['col.skippedOptOut', 'skippedOptOut'],
    ['col.skippedUnsubscribed', 'skippedUnsubscribed'],
    ['col.uncertain', 'uncertain'],
    ['col.pending', 'pending'],
  ];
  return html`<div class="table-wrap">
    <table id="table-broadcasts">
      <thead>
        <tr>
          <th scope="col">${tr(lang, 'col.id')}</th>
          <th scope="col">${tr(lang, 'col.createdAt')}</th>
          ${cols.map(([key]) => html`<th scope="col">${tr(lang, key)}</th>`)}
          <th scope="col">${tr(lang, 'col.status')}</th>
        </tr>
      </thead>
      <tbody>
        ${
          rows.length === 0
            ? html`<tr>
                <td colspan="${cols.length + 3}" class="empty">${tr(lang, 'empty')}</td>
              </tr>`
            : rows.map(
                (p) =>
                  html`<tr
                    data-broadcast="${p.id}"
                    ${
                      live && !p.done
                        ? raw(`data-progress-url="/admin/broadcasts/${p.id}/progress"`)
                        : p.done
                          ? raw('data-finished="true"')
                          : ''
                    }
                  >
                    <td><a href="${withLang(`/admin/broadcasts/${p.id}`, lang)}">${p.id}</a></td>
                    <td>${p.createdAt.slice(0, 16).replace('T', ' ')}</td>
                    ${cols.map(([, field]) => html`<td data-field="${field}">${String(p[field])}</td>`)}
                    <td data-field="done" data-done="${tr(lang, 'bc.done')}">
                      ${p.done ? tr(lang, 'bc.done') : tr(lang, 'bc.running')}
                    </td>
                  </tr>`,
              )
        }
      </tbody>
    </table>
  </div>`;
}

/** The broadcasts page: the composer (broadcasters), then every broadcast with its tally. */
export function broadcastsPage(
  ctx: PageContext,
  state: {
    disabled?: string;
    canSend: boolean;
    form: BroadcastForm;
    themes: number[];
    count: SegmentCounter;
    broadcasts: BroadcastProgress[];
  },
): string {
  const { lang } = ctx;
  const body = state.disabled
    ? html`<p class="error" role="alert">${tr(lang, 'bc.disabled', { reason: state.disabled })}</p>`
    : html`${
          state.canSend
            ? composer(ctx, state.form, state.themes, state.count)
            : html`<p class="note">${tr(lang, 'bc.readOnly')}</p>`
        }
        <h3>${tr(lang, 'bc.list')}</h3>
        ${progressTable(ctx, state.broadcasts, false)}`;
  return layout(
    ctx,
    tr(lang, 'bc.title'),
    html`<section>
        <h2>${tr(lang, 'bc.title')}</h2>
        ${body}
      </section>
      ${script}`,
  );
}

/** What a send would do, and the button that does it (with a fresh id: a double click sends once). */
export function dryRunPage(
  ctx: PageContext,
  plan: DryRun,
  form: BroadcastForm,
  broadcastId: string,
  money: { currency: string },
): string {
  const { lang } = ctx;
  const canSend = plan.problems.length === 0 && plan.recipients > 0;
  return layout(
    ctx,
    tr(lang, 'bc.plan'),
    html`<section id="dry-run">
      <h2>${tr(lang, 'bc.plan')}</h2>
      <p>${tr(lang, 'bc.audience')} : ${audienceLabel(lang, form.audience)}</p>
      <dl class="summary">
        <div>
          <dt>${tr(lang, 'bc.recipients')}</dt>
          <dd id="plan-recipients">${plan.recipients}</dd>
        </div>
        <div>
          <dt>${tr(lang, 'bc.optedOut')}</dt>
          <dd id="plan-opted-out">${plan.optedOut}</dd>
        </div>
        <div>
          <dt>${tr(lang, 'bc.smsSegments')}</dt>
          <dd id="plan-segments">${plan.smsSegments}</dd>
        </div>
        <div>
          <dt>${tr(lang, 'bc.cost')}</dt>
          <dd id="plan-cost">${plan.estimatedCost} ${money.currency}</dd>
        </div>
      </dl>
      <div class="table-wrap">
        <table id="table-plan">
          <thead>
            <tr>
              <th scope="col">${tr(lang, 'col.lang')}</th>
              <th scope="col">${tr(lang, 'col.recipients')}</th>
              <th scope="col">${tr(lang, 'col.segments')}</th>
              <th scope="col">${tr(lang, 'col.encoding')}</th>
              <th scope="col">${tr(lang, 'col.characters')}</th>
              <th scope="col">${tr(lang, 'col.text')}</th>
            </tr>
          </thead>
          <tbody>
            ${plan.languages.map(
              (l) =>
                html`<tr data-lang="${l.lang}">
                  <td>${languageName(l.lang, lang)}</td>
                  <td>${l.recipients}</td>
                  <td>${l.segments}</td>
                  <td>${l.encoding}</td>
                  <td>${l.characters}</td>
                  <td lang="${l.fallback ? REFERENCE_LANG : l.lang}">
                    ${
                      l.fallback
                        ? html`<em
                            >(${tr(lang, 'bc.fallback', { lang: languageName(REFERENCE_LANG, lang) })})</em
                          > `
                        : ''
                    }${l.text}
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${
        plan.problems.length
          ? html`<div class="error" role="alert">
              ${tr(lang, 'bc.problems')}
              <ul>
                ${plan.problems.map((p) => html`<li>${p}</li>`)}
              </ul>
            </div>`
          : ''
      }
      ${
        canSend
          ? html`<form method="post" action="${withLang('/admin/broadcasts/send', lang)}">
              ${hidden(ctx, form)}
              <input type="hidden" name="id" value="${broadcastId}" />
              <button type="submit" id="send">${tr(lang, 'bc.send', { count: plan.recipients })}</button>
            </form>`
          : ''
      }
      <p><a href="${withLang('/admin/broadcasts', lang)}">${tr(lang, 'nav.broadcasts')}</a></p>
    </section>`,
  );
}

/** One broadcast's tally, refreshed live by broadcast.js until it is done. */
export function broadcastPage(ctx: PageContext, progress: BroadcastProgress): string {
  const { lang } = ctx;
  return layout(
    ctx,
    tr(lang, 'bc.progress', { id: progress.id }),
    html`<section>
        <h2>${tr(lang, 'bc.progress', { id: progress.id })}</h2>
        ${progressTable(ctx, [progress], !progress.done)}
        <p><a href="${withLang('/admin/broadcasts', lang)}">${tr(lang, 'nav.broadcasts')}</a></p>
      </section>
      ${script}`,
  );
}
