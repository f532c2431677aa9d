import type { Lang, Recommendation } from '../../src/core/types.js';
import { html, type Html } from './html.js';
import { tHtml, type SiteConfig } from './view.js';

/**
 * "Get it on your phone": the service's real numbers and links, from the configuration; a
 * channel that is not configured is not offered. With a recommendation, each link opens it
 * directly (the USSD dial string `*384*12*3*215#`, the SMS body `2.15`, Telegram's `r2_15`).
 */
export function phoneLinks(lang: Lang, config: SiteConfig, rec?: Recommendation): Html | '' {
  const items: Html[] = [];
  const id = rec?.id;
  const { AT_SHORTCODE: shortcode, USSD_SERVICE_CODE: ussd, TELEGRAM_BOT_USERNAME: bot } = config;
  if (ussd) {
    const dial = rec ? `${ussd.slice(0, -1)}*3*${rec.theme}${rec.number}#` : ussd;
    items.push(
      html`<li>
        ${tHtml(lang, 'site.phone.ussd', {}, { code: html`<a href="tel:${dial.replace(/#/g, '%23')}">${dial}</a>` })}
      </li>`,
    );
  }
  if (shortcode) {
    const body = id ? `?body=${encodeURIComponent(id)}` : '';
    items.push(
      html`<li>
        ${tHtml(lang, id ? 'site.phone.smsOne' : 'site.phone.sms', id ? { id } : {}, { number: html`<a href="sms:${shortcode}${body}">${shortcode}</a>` })}
      </li>`,
    );
  }
  if (config.VOICE_PHONE_NUMBER) {
    const number = config.VOICE_PHONE_NUMBER;
    items.push(
      html`<li>
        ${tHtml(lang, 'site.phone.voice', {}, { number: html`<a href="tel:${number}">${number}</a>` })}
      </li>`,
    );
  }
  if (bot) {
    const start = id ? `?start=r${id.replace('.', '_')}` : '';
    items.push(
      html`<li>
        ${tHtml(lang, 'site.phone.telegram', {}, { bot: html`<a href="https://t.me/${bot}${start}">@${bot}</a>` })}
      </li>`,
    );
  }
  if (config.WHATSAPP_NUMBER) {
    const number = config.WHATSAPP_NUMBER;
    const text = id ? `?text=${encodeURIComponent(id)}` : '';
    items.push(
      html`<li>
        ${tHtml(lang, id ? 'site.phone.whatsappOne' : 'site.phone.whatsapp', id ? { id } : {}, { number: html`<a href="https://wa.me/${number.slice(1)}${text}">${number}</a>` })}
      </li>`,
    );
  }
  if (items.length === 0) return '';
  return html`<section class="phone" aria-labelledby="phone">
    <h2 id="phone">${tHtml(lang, rec ? 'site.phone.titleOne' : 'site.phone.title', {}, {})}</h2>
    <ul>
      ${items}
    </ul>
  </section>`;
}
