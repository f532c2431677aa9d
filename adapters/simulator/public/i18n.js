/* global document */
// UI strings come from the language catalogs (content/i18n/<code>.json), served at /simulator/config.json.

/** @param {Record<string, Record<string, string>>} table @param {string} initial */
export function createI18n(table, initial) {
  let lang = initial;
  const listeners = [];

  /** @param {string} key @param {Record<string, string|number>} [params] */
  function t(key, params = {}) {
    const entry = table[key];
    if (!entry) return key;
    return (entry[lang] ?? entry[Object.keys(entry)[0]] ?? '').replace(/\{(\w+)\}/g, (whole, name) =>
      name in params ? String(params[name]) : whole,
    );
  }

  /** Re-fills every element that names a catalog key: data-i18n (text), data-i18n-attr ("attr:key"). */
  function apply(root, params) {
    for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n, params);
    for (const el of root.querySelectorAll('[data-i18n-attr]')) {
      for (const pair of el.dataset.i18nAttr.split(';')) {
        const [attr, key] = pair.split(':');
        if (attr && key) el.setAttribute(attr.trim(), t(key.trim(), params));
      }
    }
    document.documentElement.lang = lang;
  }

  return {
    t,
    apply,
    get lang() {
      return lang;
    },
    set(next) {
      lang = next;
      for (const fn of listeners) fn(lang);
    },
    onChange(fn) {
      listeners.push(fn);
    },
  };
}
