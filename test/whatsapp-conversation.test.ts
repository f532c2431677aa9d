import { afterEach, describe, expect, it } from 'vitest';
import { languages } from '../src/i18n/index.js';
import {
  buttonReply,
  listReply,
  message,
  notification,
  startWhatsAppService,
  text,
  type GraphCall,
  type WhatsAppHarness,
} from './support/whatsapp.js';

const HOUR = 3600 * 1000;
const note = {
  type: 'text' as const,
  text: { body: 'Nouvelle information sur le suivi des recommandations.' },
};

let h: WhatsAppHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Sends one message from `from` and returns the Graph calls it caused. */
async function say(harness: WhatsAppHarness, message: unknown): Promise<GraphCall[]> {
  const before = harness.graph.calls.length;
  const response = await harness.deliver(notification([message]));
  expect(response.status).toBe(200);
  return harness.graph.calls.slice(before);
}

const ids = (call: GraphCall | undefined): string[] => {
  const interactive = (call?.payload as { interactive?: { type: string; action: Record<string, unknown> } })
    .interactive;
  if (!interactive) return [];
  if (interactive.type === 'list')
    return (interactive.action.sections as Array<{ rows: Array<{ id: string }> }>).flatMap((s) =>
      s.rows.map((r) => r.id),
    );
  return (interactive.action.buttons as Array<{ reply: { id: string } }>).map((b) => b.reply.id);
};

describe('an end-to-end WhatsApp conversation', () => {
  it('when a person says hello, browses themes, picks a theme and a recommendation, taps next, then STOP, then nothing more is sent', async () => {
    h = await startWhatsAppService();
    const now = () => ({ from: '22376543210', timestamp: h!.clock.seconds });

    const [home] = await say(h, text('Bonjour', now()));
    expect(ids(home)).toEqual(['themes', 'help', 'lang']);

    const [themes] = await say(h, buttonReply('themes', now()));
    expect(ids(themes)).toEqual(['t:1:0', 't:2:0', 't:3:0', 't:4:0', 't:5:0']);

    const [theme] = await say(h, listReply('t:2:0', now()));
    const rows = ids(theme);
    expect(rows).toHaveLength(9); // 8 recommendations and "more"
    expect(rows.slice(0, 3)).toEqual(['r:2.1', 'r:2.2', 'r:2.3']);
    expect(rows.at(-1)).toBe('t:2:1');

    // "suite" typed after a list turns the page
    const [page2] = await say(h, text('suite', now()));
    expect(ids(page2)).toEqual([
      'r:2.9',
      'r:2.10',
      'r:2.11',
      'r:2.12',
      'r:2.13',
      'r:2.14',
      'r:2.15',
      'r:2.16',
      't:2:0',
      't:2:2',
    ]);

    const [page1] = await say(h, text('precedent', now()));
    expect(ids(page1)[0]).toBe('r:2.1');

    const [card] = await say(h, listReply('r:2.3', now()));
    expect(JSON.stringify(card!.payload)).toContain('Recommandation 2.3');
    expect(ids(card)).toEqual(['r:2.4', 't:2:0', 's:2.3']);

    const [nextCard] = await say(h, buttonReply('r:2.4', now()));
    expect(JSON.stringify(nextCard!.payload)).toContain('Recommandation 2.4');

    const [typedNext] = await say(h, text('suite', now()));
    expect(JSON.stringify(typedNext!.payload)).toContain('Recommandation 2.5');

    const [back] = await say(h, text('retour', now()));
    expect(ids(back)[0]).toBe('r:2.1'); // the list page holding 2.5

    const shared = await say(h, buttonReply('s:2.5', now()));
    expect(shared).toHaveLength(2);
    expect(JSON.stringify(shared[0]!.payload)).toContain('2.5');

    const stop = await say(h, text('STOP', now()));
    expect(stop).toHaveLength(1);
    expect(JSON.stringify(stop[0]!.payload)).toContain('START');

    expect(await say(h, text('2.15', now()))).toHaveLength(0);
    expect(await say(h, buttonReply('n:2.5', now()))).toHaveLength(0);
    // Not text either: a voice note goes through the use case too, and is not answered.
    expect(await say(h, message('audio', { id: 'media-1', mime_type: 'audio/ogg' }, now()))).toHaveLength(0);
    expect(await say(h, text('STOP', now()))).toHaveLength(0);
    expect(await h.service.whatsapp!.notify('22376543210', [note])).toBe('optedOut');

    const start = await say(h, text('START', now()));
    expect(JSON.stringify(start[0]!.payload)).toContain('de nouveau');
    expect(await say(h, text('2.15', now()))).toHaveLength(1);
  });

  it('when a person said STOP and the service restarts, then the opt-out holds (the durable registry, not a session key) and concerns WhatsApp only', async () => {
    h = await startWhatsAppService();
    const from = '22376543219';
    const dataDir = h.config.DATA_DIR;
    expect(await say(h, text('STOP', { from, timestamp: h.clock.seconds }))).toHaveLength(1);
    const pseudonym = h.service.pseudonymize(from);
    // Nothing of it in the session store: the store can be flushed or expire, the list cannot.
    expect([...h.store.keys].some((key) => key.includes('optout'))).toBe(false);
    expect(await h.service.sms.optOuts.has(pseudonym)).toBe(false);
    await h.close();

    h = await startWhatsAppService({ DATA_DIR: dataDir });
    expect(await say(h, text('2.15', { from, timestamp: h.clock.seconds }))).toHaveLength(0);
    expect(await h.service.whatsapp!.notify(from, [note])).toBe('optedOut');
    const start = await say(h, text('START', { from, timestamp: h.clock.seconds }));
    expect(start).toHaveLength(1);
    expect(await say(h, text('2.15', { from, timestamp: h.clock.seconds }))).toHaveLength(1);
  });

  it('when a person switches to English, then the menus and the next answers are in English', async () => {
    h = await startWhatsAppService();
    const now = () => ({ from: '22376543211', timestamp: h!.clock.seconds });
    const [menu] = await say(h, text('langue', now()));
    expect(ids(menu)).toEqual(languages().map((language) => `lang:${language.code}`));
    const switched = await say(h, buttonReply('lang:en', now()));
    expect(JSON.stringify(switched[0]!.payload)).toContain('Language: English');
    const [themes] = await say(h, text('themes', now()));
    expect(JSON.stringify(themes!.payload)).toContain('See the themes');
  });

  it('when a search finds several recommendations, then a results list comes back; nothing found gives the themes', async () => {
    h = await startWhatsAppService();
    const now = () => ({ from: '22376543212', timestamp: h!.clock.seconds });
    const [results] = await say(h, text('femmes', now()));
    const rows = ids(results);
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.every((id) => /^r:\d\.\d+$/.test(id))).toBe(true);
    const [none] = await say(h, text('wagner', now()));
    // Said with the themes and the menu under it (buttons), the subject quoted as French quotes.
    const none_ = none?.payload as { text?: { body: string }; interactive?: { body: { text: string } } };
    expect(none_.text?.body ?? none_.interactive?.body.text).toMatch(/ne parle pas de «\s?wagner\s?»/);
  });

  it('when a person writes a topic word or a thank-you, then the theme is offered first, and small talk gets one kind line', async () => {
    h = await startWhatsAppService();
    const now = () => ({ from: '22376543213', timestamp: h!.clock.seconds });
    const [topic] = await say(h, text('insecurite', now()));
    expect(ids(topic)[0]).toBe('t:4:0');
    const [thanks] = await say(h, text('merci', now()));
    expect(JSON.stringify(thanks?.payload)).toContain('Avec plaisir');
    expect(ids(thanks)).toEqual(['themes', 'help', 'lang']);
  });
});

describe('the per-person budget', () => {
  it('when one number sends more than RATE_LIMIT_PER_MINUTE messages, then the extra ones are not answered and are counted', async () => {
    h = await startWhatsAppService({ RATE_LIMIT_PER_MINUTE: '2' });
    const now = () => ({ from: '22370000020', timestamp: h!.clock.seconds });
    expect(await say(h, text('2.1', now()))).toHaveLength(1);
    expect(await say(h, text('2.2', now()))).toHaveLength(1);
    expect(await say(h, text('2.3', now()))).toHaveLength(0);
    expect(await h.service.prometheus.registry.metrics()).toContain(
      'dim_rate_limited_total{channel="whatsapp"} 1',
    );
    // Another number has its own budget.
    expect(await say(h, text('2.3', { from: '22370000021', timestamp: h.clock.seconds }))).toHaveLength(1);
  });
});

describe('the 24-hour customer-service window', () => {
  it('when a message arrives that was sent more than 24 hours ago (late delivery), then nothing free-form is sent', async () => {
    h = await startWhatsAppService();
    const late = await say(h, text('2.15', { from: '22370000010', timestamp: h.clock.seconds - 25 * 3600 }));
    expect(late).toHaveLength(0);
    expect(await h.service.prometheus.registry.metrics()).toContain(
      'dim_whatsapp_sends_total{outcome="outsideWindow"} 1',
    );
  });

  it('when the window is open, then a broadcast goes free-form; once 24 hours have passed, it is skipped and counted', async () => {
    h = await startWhatsAppService();
    await say(h, text('bonjour', { from: '22370000011', timestamp: h.clock.seconds }));
    h.clock.ms += 23 * HOUR;
    expect(await h.service.whatsapp!.notify('22370000011', [note])).toBe('sent');
    expect(h.graph.calls.at(-1)!.payload).toMatchObject({ type: 'text', to: '22370000011' });
    h.clock.ms += 1 * HOUR + 1000;
    const before = h.graph.calls.length;
    expect(await h.service.whatsapp!.notify('22370000011', [note])).toBe('skipped');
    expect(h.graph.calls.length).toBe(before);
    expect(await h.service.prometheus.registry.metrics()).toContain(
      'dim_whatsapp_sends_total{outcome="skipped"} 1',
    );
    // Someone who never wrote has no window either.
    expect(await h.service.whatsapp!.notify('22370000099', [note])).toBe('skipped');
  });

  it('when each message refreshes the window, then it runs 24 hours from the latest, even if deliveries arrive out of order', async () => {
    h = await startWhatsAppService();
    const t0 = h.clock.seconds;
    h.clock.ms += 20 * HOUR;
    await say(h, text('2.1', { from: '22370000012', timestamp: t0 + 20 * 3600 }));
    await say(h, text('2.2', { from: '22370000012', timestamp: t0 })); // older, delivered late: does not shorten
    h.clock.ms += 10 * HOUR; // 30 h after t0, 10 h after the latest message
    expect(await h.service.whatsapp!.notify('22370000012', [note])).toBe('sent');
  });

  it('when a template is configured, then outside the window the broadcast uses it instead of free-form text', async () => {
    h = await startWhatsAppService({
      WHATSAPP_TEMPLATE_NAME: 'suivi_dialogue',
      WHATSAPP_TEMPLATE_LANG: 'fr',
    });
    expect(await h.service.whatsapp!.notify('22370000013', [note])).toBe('template');
    expect(h.graph.calls).toHaveLength(1);
    expect(h.graph.calls[0]!.payload).toMatchObject({
      type: 'template',
      template: { name: 'suivi_dialogue', language: { code: 'fr' } },
      to: '22370000013',
    });
  });
});

describe('WhatsApp in the console’s figures', () => {
  it('when people write on WhatsApp, then the console counts their replies like those of the other channels', async () => {
    const { consoleUsers } = await import('./support/console.js');
    h = await startWhatsAppService({ CONSOLE_USERS: await consoleUsers() });
    await say(h, text('2.15', { timestamp: h.clock.seconds }));
    await say(h, text('eau', { from: '22370000002', timestamp: h.clock.seconds }));
    await h.service.consoleAnalytics!.flush();
    const day = new Date(h.clock.now()).toISOString().slice(0, 10);
    const report = await h.service.consoleAnalytics!.report(day, day);
    const whatsapp = report.replies.filter((r) => r.channel === 'whatsapp');
    expect(whatsapp.reduce((sum, r) => sum + r.count, 0)).toBe(2);
    expect(report.recommendations).toContainEqual({ recId: '2.15', views: 1 });
    expect(report.peopleInRange).toBe(2);
  });
});
