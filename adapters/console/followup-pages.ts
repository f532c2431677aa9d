import {
  FOLLOW_UP_STATUSES,
  NOTE_MAX,
  SOURCE_TITLE_MAX,
  isLink,
  type FollowUpVersion,
} from '../../src/followup/model.js';
import { REFERENCE_LANG } from '../../src/i18n/index.js';
import { html, type Html } from './html.js';
import { langField, layout, withLang, type PageContext } from './pages.js';
import { tr, type ConsoleKey } from './strings.js';

/** What the console shows of a recommendation beside its follow-up: the report's words, our label. */
export interface RecommendationView {
  id: string;
  themeShort: string;
  /** Ours (a short label), never shown as the report's words. */
  label: string;
  /** The report's words, verbatim, and its list items when it has some. */
  text: string;
  items: string[];
}

export interface FollowUpForm {
  status?: string;
  date?: string;
  source?: string;
  note?: string;
}

const statusKey = (status: string) => `status.${status}` as ConsoleKey;

function sourceCell(source: string): Html {
  return isLink(source)
    ? html`<a href="${source}" rel="noopener noreferrer nofollow" target="_blank">${source}</a>`
    : html`${source}`;
}

function versionRow(ctx: PageContext, v: FollowUpVersion, withId: boolean): Html {
  return html`<tr>
    ${
      withId
        ? html`<td>
            <a href="${withLang(`/admin/followups/${v.recommendationId}`, ctx.lang)}"
              >${v.recommendationId}</a
            >
          </td>`
        : html`<td>${v.version}</td>`
    }
    <td data-status="${v.status}">${tr(ctx.lang, statusKey(v.status))}</td>
    <td>${v.date}</td>
    <td>${sourceCell(v.source)}</td>
    <td>${v.note}</td>
    <td>${v.editor}</td>
    <td>${v.publishedAt.slice(0, 16).replace('T', ' ')}</td>
  </tr>`;
}

function versionTable(ctx: PageContext, id: string, rows: FollowUpVersion[], withId: boolean): Html {
  const { lang } = ctx;
  return html`<div class="table-wrap">
    <table id="${id}">
      <thead>
        <tr>
          <th scope="col">${tr(lang, withId ? 'col.rec' : 'col.version')}</th>
          <th scope="col">${tr(lang, 'col.status')}</th>
          <th scope="col">${tr(lang, 'col.date')}</th>
          <th scope="col">${tr(lang, 'col.source')}</th>
          <th scope="col">${tr(lang, 'col.note')}</th>
          <th scope="col">${tr(lang, 'col.editor')}</th>
          <th scope="col">${tr(lang, 'col.at')}</th>
        </tr>
      </thead>
      <tbody>
        ${
          rows.length === 0
            ? html`<tr>
                <td colspan="7" class="empty">${tr(lang, 'fu.none')}</td>
              </tr>`
            : rows.map((v) => versionRow(ctx, v, withId))
        }
      </tbody>
    </table>
  </div>`;
}

/** Every recommendation that has a published follow-up, and a field to open any other. */
export function followUpListPage(ctx: PageContext, published: FollowUpVersion[], message?: string): string {
  const { lang } = ctx;
  return layout(
    ctx,
    tr(lang, 'fu.title'),
    html`<section>
      <h2>${tr(lang, 'fu.title')}</h2>
      <p class="note">${tr(lang, 'fu.intro')}</p>
      ${message ? html`<p class="error" role="alert">${message}</p>` : ''}
      <form method="get" action="/admin/followups/open" class="range">
        <label for="rec">${tr(lang, 'fu.openLabel')}</label>
        <input id="rec" name="id" required maxlength="6" pattern="[1-9][.][0-9]{1,3}" />
        ${langField(lang)}
        <button type="submit">${tr(lang, 'fu.open')}</button>
      </form>
      <h3>${tr(lang, 'fu.published')}</h3>
      ${versionTable(ctx, 'table-followups', published, true)}
    </section>`,
  );
}

/** One recommendation: the report's words, the published follow-up, its versions, and the editor's form. */
export function followUpPage(
  ctx: PageContext,
  rec: RecommendationView,
  history: FollowUpVersion[],
  options: { canEdit: boolean; problems?: string[]; notice?: string; form?: FollowUpForm },
): string {
  const { lang } = ctx;
  const latest = history.at(-1);
  const form = options.form ?? {
    status: latest?.status ?? 'announced',
    date: latest?.date ?? '',
    source: latest?.source ?? '',
    note: latest?.note ?? '',
  };
  const editor = options.canEdit
    ? html`<form method="post" action="${withLang(`/admin/followups/${rec.id}`, lang)}" class="followup-form">
        <h3>${tr(lang, 'fu.edit')}</h3>
        <input type="hidden" name="_csrf" value="${ctx.csrf ?? ''}" />
        <input type="hidden" name="expectedVersion" value="${latest?.version ?? 0}" />
        <label for="status">${tr(lang, 'col.status')}</label>
        <select id="status" name="status">
          ${FOLLOW_UP_STATUSES.map(
            (s) =>
              html`<option value="${s}" ${s === form.status ? 'selected' : ''}>
                ${tr(lang, statusKey(s))}
              </option>`,
          )}
        </select>
        <label for="date">${tr(lang, 'col.date')}</label>
        <input type="date" id="date" name="date" required min="2024-05-10" value="${form.date ?? ''}" />
        <label for="source">${tr(lang, 'col.source')} <small>${tr(lang, 'fu.hint.source')}</small></label>
        <input
          id="source"
          name="source"
          required
          maxlength="${SOURCE_TITLE_MAX}"
          value="${form.source ?? ''}"
        />
        <label for="note">${tr(lang, 'col.note')} <small>${tr(lang, 'fu.hint.note')}</small></label>
        <textarea id="note" name="note" maxlength="${NOTE_MAX}" rows="3">${form.note ?? ''}</textarea>
        <button type="submit">${tr(lang, 'fu.submit')}</button>
      </form>`
    : html`<p class="note">${tr(lang, 'fu.readOnly')}</p>`;
  return layout(
    ctx,
    rec.id,
    html`<section>
      <h2>${tr(lang, 'col.rec')} ${rec.id} · ${rec.themeShort}</h2>
      <p><strong>${tr(lang, 'col.label')} :</strong> ${rec.label}</p>
      <figure>
        <figcaption>${tr(lang, 'fu.reportText')}</figcaption>
        <blockquote lang="${REFERENCE_LANG}">
          ${rec.text}${
            rec.items.length
              ? html`<ul>
                  ${rec.items.map((i) => html`<li>${i}</li>`)}
                </ul>`
              : ''
          }
        </blockquote>
      </figure>
      ${options.notice ? html`<p class="ok" role="status">${options.notice}</p>` : ''}
      ${
        options.problems?.length
          ? html`<div class="error" role="alert">
              ${tr(lang, 'fu.invalid')}
              <ul>
                ${options.problems.map((p) => html`<li>${p}</li>`)}
              </ul>
            </div>`
          : ''
      }
      <h3>${tr(lang, 'fu.current')}</h3>
      <p id="current-followup" data-version="${latest?.version ?? 0}">
        ${
          latest
            ? html`${tr(lang, statusKey(latest.status))} (${latest.date}) ·
              ${sourceCell(latest.source)}${latest.note ? html` · ${latest.note}` : ''}`
            : tr(lang, 'fu.none')
        }
      </p>
      ${editor}
      <h3>${tr(lang, 'fu.history')}</h3>
      ${versionTable(ctx, 'table-history', [...history].reverse(), false)}
    </section>`,
  );
}
