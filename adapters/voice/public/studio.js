/* global document, fetch, navigator, MediaRecorder, Blob, OfflineAudioContext, URL */
// The recording studio page: the recording plan of a language (the minimal set for a working
// line, the theme names, the readings, more prompts), each item with its text, its state
// (missing / draft / published) and what callers hear now, and the progress figures; records
// (MediaRecorder) or takes a file, turns either into a 16-bit PCM WAV in the browser (the server
// reads WAV only), uploads it as a draft, plays the draft back, publishes it, rolls it back.

const $ = (id) => document.getElementById(id);
const csrf = document.querySelector('meta[name="csrf-token"]').getAttribute('content');
/** Sent at 16 kHz mono: twice the line's rate, so the server's resampler has room. */
const UPLOAD_RATE = 16000;

let plan = null;
let items = [];
let selected = null;
let recorder = null;
let chunks = [];

const STATE = { missing: 'manquant', draft: 'brouillon', published: 'publié' };
const LINE = { recording: 'enregistrement', synthesised: 'voix de synthèse', none: 'rien (non proposé)' };
const GROUPS = {
  minimal: '1. Le minimum pour une ligne qui marche',
  themes: '2. Les noms des thèmes',
  readings: '3. Les recommandations',
  more: '4. Autres messages',
};
const REVIEW = {
  draft: 'texte à relire (brouillon, pas encore relu)',
  reviewed: 'texte relu',
  report: 'texte du rapport',
};

function say(text, isError = false) {
  const message = $('message');
  message.textContent = text;
  message.className = isError ? 'error' : '';
}

async function loadItems() {
  const lang = $('lang').value;
  const res = await fetch(`api/items?lang=${encodeURIComponent(lang)}`);
  plan = await res.json();
  items = plan.items;
  renderProgress();
  renderList();
  if (selected) {
    const again = items.find((i) => i.kind === selected.kind && i.key === selected.key);
    if (again) select(again);
  }
}

const label = (item) => `${item.kind === 'rec' ? 'Recommandation' : 'Message'} ${item.key}`;

function renderProgress() {
  const { minimal, groups, progress, lang } = plan;
  const on = minimal.onMenu;
  $('on-menu').textContent = on
    ? `La langue « ${lang} » est proposée sur la ligne vocale.`
    : `La langue « ${lang} » n’est pas encore proposée : ${minimal.total - minimal.published} message(s) du minimum à publier.`;
  $('on-menu').dataset.onMenu = String(on);
  // Which language's plan is shown: a test (and a reader of the DOM) waits for the one it chose.
  $('on-menu').dataset.lang = lang;
  $('counts').textContent = [
    ...groups.map((g) => `${GROUPS[g.group]} : ${g.published}/${g.total} publiés`),
    `en tout ${progress.published}/${progress.total} (${progress.percent} %)`,
  ].join(' · ');
  $('progress').value = progress.published;
  $('progress').max = progress.total;
  $('minimal').value = minimal.published;
  $('minimal').max = minimal.total;
}

function renderList() {
  const filter = $('filter').value;
  const tbody = $('items');
  tbody.textContent = '';
  let group = null;
  for (const item of items) {
    if (filter !== 'all' && item.state !== filter) continue;
    if (item.group !== group) {
      group = item.group;
      const head = document.createElement('tr');
      head.className = 'group';
      const cell = document.createElement('th');
      cell.colSpan = 4;
      const counts = plan.groups.find((g) => g.group === group);
      cell.textContent = `${GROUPS[group]} (${counts.published}/${counts.total})`;
      head.append(cell);
      tbody.append(head);
    }
    const tr = document.createElement('tr');
    tr.dataset.key = `${item.kind}:${item.key}`;
    tr.dataset.state = item.state;
    if (selected && selected.kind === item.kind && selected.key === item.key) tr.className = 'selected';
    const name = document.createElement('td');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'item';
    button.textContent = label(item);
    button.addEventListener('click', () => select(item));
    name.append(button);
    const state = document.createElement('td');
    state.textContent =
      STATE[item.state] + (item.draft && item.state === 'published' ? ' (+ brouillon)' : '');
    state.className = `state-${item.state}`;
    const line = document.createElement('td');
    line.textContent = LINE[item.line];
    const text = document.createElement('td');
    text.className = 'text';
    text.textContent = item.script.length > 90 ? `${item.script.slice(0, 90)}…` : item.script;
    tr.append(name, state, line, text);
    tbody.append(tr);
  }
}

function select(item) {
  selected = item;
  $('panel').hidden = false;
  $('item-title').textContent = label(item);
  $('script').textContent = item.script;
  $('review').textContent = REVIEW[item.review] ?? '';
  $('reference-box').hidden = !item.reference;
  $('reference').textContent = item.reference ?? '';
  $('aid-box').hidden = !item.aid;
  $('aid').textContent = item.aid ?? '';
  $('current-status').textContent = LINE[item.line];
  $('current-status').dataset.status = item.line;
  const current = $('current');
  if (item.line === 'none') current.removeAttribute('src');
  else current.src = `${new URL(item.url, document.baseURI).pathname}?v=${Date.now()}`;
  $('draft-box').hidden = !item.draft;
  if (item.draft)
    $('draft').src = `api/draft/${$('lang').value}/${item.kind}/${item.key}.wav?v=${Date.now()}`;
  $('rollback').hidden = item.versions === 0;
  say('');
  renderList();
}

/** Any audio the browser can decode → mono 16-bit PCM WAV at UPLOAD_RATE. */
async function toWav(blob) {
  const data = await blob.arrayBuffer();
  const decoded = await new OfflineAudioContext(1, 1, UPLOAD_RATE).decodeAudioData(data);
  const length = Math.max(1, Math.ceil(decoded.duration * UPLOAD_RATE));
  const context = new OfflineAudioContext(1, length, UPLOAD_RATE);
  const source = context.createBufferSource();
  source.buffer = decoded;
  source.connect(context.destination);
  source.start();
  const rendered = await context.startRendering();
  const samples = rendered.getChannelData(0);
  const buffer = new ArrayBuffer(44 + samples.length * 2);
  const view = new DataView(buffer);
  const text = (offset, value) => [...value].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, 36 + samples.length * 2, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, UPLOAD_RATE, true);
  view.setUint32(28, UPLOAD_RATE * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, samples.length * 2, true);
  samples.forEach((s, i) => view.setInt16(44 + i * 2, Math.max(-1, Math.min(1, s)) * 0x7fff, true));
  return new Blob([buffer], { type: 'audio/wav' });
}

async function upload(blob) {
  if (!selected) return;
  say('Traitement…');
  let wav;
  try {
    wav = await toWav(blob);
  } catch {
    say('Ce fichier ne peut pas être lu comme du son.', true);
    return;
  }
  const res = await fetch(`api/draft/${$('lang').value}/${selected.kind}/${selected.key}`, {
    method: 'POST',
    headers: { 'content-type': 'audio/wav', 'x-csrf-token': csrf },
    body: wav,
  });
  const body = await res.json();
  if (!res.ok) {
    say(`Refusé : ${body.message ?? body.error}`, true);
    return;
  }
  $('draft').src = `${body.draft}?v=${Date.now()}`;
  $('draft-box').hidden = false;
  say(`Brouillon prêt : ${body.durationSeconds} s. Réécoutez, puis publiez.`);
  document.body.dataset.draft = 'ready';
}

$('record').addEventListener('click', async () => {
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    recorder = new MediaRecorder(stream);
    chunks = [];
    recorder.addEventListener('dataavailable', (e) => chunks.push(e.data));
    recorder.addEventListener('stop', () => {
      stream.getTracks().forEach((t) => t.stop());
      void upload(new Blob(chunks, { type: recorder.mimeType }));
    });
    recorder.start();
    $('record').disabled = true;
    $('stop').disabled = false;
    say('Enregistrement… parlez, puis « Arrêter ».');
  } catch {
    say('Le micro n’est pas disponible.', true);
  }
});

$('stop').addEventListener('click', () => {
  if (recorder && recorder.state === 'recording') recorder.stop();
  $('record').disabled = false;
  $('stop').disabled = true;
});

$('file').addEventListener('change', () => {
  const file = $('file').files[0];
  if (file) void upload(file);
  $('file').value = '';
});

/** POSTs `action` (publish, rollback) for the selected item; `done(body)` once it succeeded. */
async function act(action, done) {
  if (!selected) return;
  const res = await fetch(`api/${action}/${$('lang').value}/${selected.kind}/${selected.key}`, {
    method: 'POST',
    headers: { 'x-csrf-token': csrf },
  });
  const body = await res.json();
  if (!res.ok) {
    say(`Échec : ${body.error}`, true);
    return;
  }
  done(body);
  await loadItems();
}

$('publish').addEventListener('click', () =>
  act('publish', (body) => {
    say('Publié : les appelants entendent maintenant cet enregistrement.');
    document.body.dataset.published = body.published;
    $('draft-box').hidden = true;
  }),
);

$('rollback').addEventListener('click', () =>
  act('rollback', (body) => {
    say('La version précédente est de nouveau sur la ligne.');
    document.body.dataset.restored = body.restored;
  }),
);

$('lang').addEventListener('change', () => {
  selected = null;
  $('panel').hidden = true;
  void loadItems();
});
$('filter').addEventListener('change', renderList);
void loadItems();
