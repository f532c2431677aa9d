/**
 * HTML built from template literals where every interpolated value is escaped unless it is
 * already `Html` (made by `html` itself or, for markup we generated, `trusted`). Nothing a
 * person typed, an editor published or the corpus holds can reach a page unescaped.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

/** Markup this module generated itself (the QR code's SVG): never text from outside. */
export function trusted(markup: string): Html {
  return new Html(markup);
}

type Value = Html | string | number | false | null | undefined | readonly Value[];

function render(value: Value): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** A `lang` attribute where a piece of text is in another language than the page. */
export function langAttr(textLang: string, pageLang: string): Html {
  return textLang === pageLang ? new Html('') : html` lang="${textLang}"`;
}
