/** HTML building with escaping by default: every value goes through `esc`, markup through `raw`. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const esc = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"'`=]/g, (ch) => `&#${ch.charCodeAt(0)};`);

export const raw = (value: string) => new Html(value);

/** Tagged template: interpolations are escaped unless they are Html (or arrays of Html). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    const part = (v: unknown): string =>
      v instanceof Html ? v.value : Array.isArray(v) ? v.map(part).join('') : esc(v);
    out += part(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** JSON for a `<script type="application/json">` block: nothing in it can close the element. */
export function jsonBlock(id: string, data: unknown): Html {
  const json = JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026');
  return raw(`<script type="application/json" id="${esc(id)}">${json}</script>`);
}
