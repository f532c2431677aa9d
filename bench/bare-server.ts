/**
 * The yardstick: express with the same body parsing as the gateways and a constant answer,
 * no engine, no store, no metrics. bench/run.ts puts the real service beside it in the same
 * run; the ratio of the two is the figure that survives a noisy machine.
 *
 *   PORT=0 node --import tsx bench/bare-server.ts   → prints {"port":N} when listening
 */
import { gzipSync } from 'node:zlib';
import express from 'express';

const app = express();
app.disable('x-powered-by');
const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 30 });
const SCREEN =
  'CON Dialogue inter-Maliens\n1 Thèmes\n2 Rechercher un mot\n3 Par numéro\n4 A propos\n5 Langue / Language\n0 Quitter';
const SEARCH = JSON.stringify({
  query: 'eau',
  results: [{ id: '3.13', theme: 3, number: 13, title: 'Accès des populations à l’eau', score: 1 }],
});

app.post('/ussd/:token', form, (_req, res) => {
  res.type('text/plain').send(SCREEN);
});
app.post('/sms/:token', form, (_req, res) => {
  res.json({ kind: 'recommendation', replies: 1 });
});
app.get('/api/search', (_req, res) => {
  res.type('application/json').send(SEARCH);
});
// The site's yardstick: a constant page of a recommendation page's size (about 17 kB of HTML,
// 5 kB gzipped), compressed once, sent with the headers a cacheable page carries.
const WORDS =
  'recommandation dialogue paix réconciliation nationale thème suivi source rapport texte résumé équipe mali bamako région commune jeunes femmes eau route école santé armée sécurité frontière justice'.split(
    ' ',
  );
let seed = 7;
const words = Array.from({ length: 2300 }, () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return WORDS[seed % WORDS.length];
});
const PAGE = gzipSync(
  `<!doctype html><html lang="fr"><head><title>Recommandation 2.15</title></head><body><p>${words.join(' ')}</p></body></html>`,
);
const page: express.RequestHandler = (_req, res) => {
  res.set({
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Encoding': 'gzip',
    'Cache-Control': 'public, max-age=300',
    ETag: 'W/"bench"',
    Vary: 'Accept-Encoding',
  });
  res.end(PAGE);
};
app.get('/r/:id', page);
app.get('/', page);
app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`,
  );
});
server.keepAliveTimeout = 5000;
process.on('SIGTERM', () => server.close(() => process.exit(0)));
