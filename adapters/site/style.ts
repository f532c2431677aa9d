import { createHash } from 'node:crypto';
import { trusted } from './html.js';

/**
 * The site's one stylesheet, inlined in every page: a first visit over a slow network costs one
 * request, not two, and the Content-Security-Policy allows exactly this text by its hash (no
 * 'unsafe-inline'). System fonts only, no web font; colours checked for contrast (axe-core in
 * test/site.browser.test.ts); a print stylesheet drops navigation and prints link targets.
 */
const CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1a1a1a;background:#fff}
a{color:#0a4b85}
a:focus{outline:3px solid #c77c00;outline-offset:1px}
.skip{position:absolute;left:-999rem;top:0;background:#fff;color:#0a4b85;padding:.5rem}
.skip:focus{left:.5rem}
.wrap{max-width:46rem;margin:0 auto;padding:0 .75rem}
header{background:#0b3d2e;color:#fff}
header a{color:#fff}
.top{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.25rem .75rem;padding:.5rem 0}
.brand{font-weight:700;text-decoration:none;font-size:1.05rem}
.langs,.nav,.counts,.inline{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem .75rem}
.nav{padding:0 0 .5rem}
[aria-current]{font-weight:700}
header [aria-current]{text-decoration:none}
.draft{background:#fff4d6;border-left:4px solid #c77c00;padding:.4rem .6rem;margin:.75rem 0}
h1{font-size:1.45rem;line-height:1.25;margin:1rem 0 .5rem}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.crumbs{font-size:.9rem;margin-top:.75rem}
.ours{font-size:.9rem;color:#4a4a4a}
.tag{display:inline-block;font-size:.75rem;font-weight:600;padding:0 .35rem;border:1px solid #8a6d1f;border-radius:.25rem;color:#5c4a12;background:#fffbea}
blockquote{margin:.5rem 0;padding:.5rem .75rem;border-left:4px solid #0b3d2e;background:#f3f6f4}
blockquote p{margin:0 0 .5rem}
figcaption,.src{font-size:.9rem;color:#4a4a4a}
.card{border:1px solid #cfd8d3;border-radius:.35rem;padding:.6rem .75rem;margin:.5rem 0}
.list{list-style:none;padding:0;margin:0}
.list li{border-bottom:1px solid #e2e8e4;padding:.45rem 0}
.id{font-weight:700;margin-right:.35rem}
.s{display:inline-block;font-size:.8rem;padding:0 .4rem;border-radius:.75rem;border:1px solid;white-space:nowrap}
.s-none{color:#4a4a4a;background:#f2f2f2;border-color:#8c8c8c}
.s-announced{color:#5c4a12;background:#fff4d6;border-color:#a88a2a}
.s-in_progress{color:#0a3f73;background:#e3effb;border-color:#4f86c0}
.s-done{color:#0e5a22;background:#e0f3e4;border-color:#4c9a61}
.s-abandoned{color:#7d1a1a;background:#fbe6e6;border-color:#c06262}
.pn{display:flex;justify-content:space-between;gap:1rem;margin:1rem 0}
form.search{display:flex;flex-wrap:wrap;gap:.5rem;margin:.75rem 0}
input[type=search]{flex:1 1 12rem;font:inherit;padding:.4rem;border:1px solid #6b6b6b;border-radius:.25rem;min-width:0}
button{font:inherit;padding:.4rem .9rem;border:1px solid #0b3d2e;border-radius:.25rem;background:#0b3d2e;color:#fff}
.qr{margin:1.5rem 0;text-align:center}
.qr svg{width:8.5rem;height:8.5rem;background:#fff}
footer{margin-top:2rem;border-top:1px solid #cfd8d3;padding:.75rem 0 2rem;font-size:.9rem}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.3rem;border-bottom:1px solid #e2e8e4;vertical-align:top}
@media print{
header,nav,.nav,.langs,form,.pn,.share,.phone,footer .links{display:none}
body{font:11pt/1.4 Georgia,serif;color:#000}
a{color:#000;text-decoration:none}
main a[href^="http"]::after{content:" (" attr(href) ")";font-size:.85em}
blockquote{background:none;border-left:2px solid #000}
.qr svg{width:4cm;height:4cm}
.s{border-color:#000;color:#000;background:none}
}
`
  .trim()
  .replace(/\n/g, '');

/** The <style> element, whole: its text must be exactly what the hash below covers. */
export const STYLE = trusted(`<style>${CSS}</style>`);

/** The CSP source that allows the inline stylesheet above, and nothing else. */
export const CSS_HASH = `'sha256-${createHash('sha256').update(CSS).digest('base64')}'`;
