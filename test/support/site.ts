import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

/** The service configured as a deployment would be: the site's address and every phone channel. */
export const SITE_ENV = {
  PUBLIC_BASE_URL: 'https://dialogue.example.ml',
  AT_SHORTCODE: '36000',
  USSD_SERVICE_CODE: '*384*12#',
  TELEGRAM_BOT_USERNAME: 'DialogueMaliBot',
  WHATSAPP_NUMBER: '+22370000000',
  VOICE_PHONE_NUMBER: '+22320000000',
  LOG_LEVEL: 'warn',
} as const;

/** One page kind and where to find it (French path; the others add ?lang=). */
export const PAGE_KINDS = [
  { kind: 'home', path: '/' },
  { kind: 'theme', path: '/t/4' },
  { kind: 'theme-filtered', path: '/t/2?status=done' },
  { kind: 'recommendation', path: '/r/2.15' },
  { kind: 'search', path: '/search?q=eau' },
  { kind: 'about', path: '/about' },
  { kind: 'not-found', path: '/r/9.99' },
] as const;

export const withLang = (path: string, lang: string): string =>
  lang === 'fr' ? path : `${path}${path.includes('?') ? '&' : '?'}lang=${lang}`;

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The bytes as they came over the wire (compressed when the server compressed them). */
  wire: Buffer;
  /** The body decoded. */
  text: string;
}

/** A GET with node:http, so the compressed bytes on the wire are seen (fetch would decode them). */
export function rawGet(url: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const wire = Buffer.concat(chunks);
        const encoding = res.headers['content-encoding'];
        const body =
          encoding === 'br' ? brotliDecompressSync(wire) : encoding === 'gzip' ? gunzipSync(wire) : wire;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, wire, text: body.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The most a page may weigh on the wire, HTML and CSS together, compressed (issue 35). */
export const PAGE_BUDGET_BYTES = 30 * 1024;
