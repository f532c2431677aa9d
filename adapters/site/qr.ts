import encodeQR from 'qr';
import { escapeHtml, trusted, type Html } from './html.js';

/**
 * A page's address as a QR code, drawn on the server as SVG by `qr` (paulmillr/qr: maintained,
 * no dependencies) so posters and radio studios can print it and phones scan it without any
 * script. Medium error correction survives a crumpled poster; a border of 4 modules is the
 * quiet zone scanners expect. Codes are kept by address (a few hundred pages × languages).
 */
const cache = new Map<string, string>();
const CACHE_MAX = 2000;

export function qrSvg(url: string, label: string): Html {
  let svg = cache.get(url);
  if (svg === undefined) {
    svg = encodeQR(url, 'svg', { ecc: 'medium', border: 4 });
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(url, svg);
  }
  // The library writes `<svg viewBox=... xmlns=...>`: named for screen readers and drawn crisp.
  return trusted(
    svg.replace('<svg ', `<svg role="img" aria-label="${escapeHtml(label)}" shape-rendering="crispEdges" `),
  );
}
