import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describeWhen } from './describe-when.js';

/** Debian's Chromium, as .ci/run installs it (no browser download: the machines reach only npm and Debian). */
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);

/** `describe` for a suite driven in Chromium: skipped loudly without it, failing under CI=true. */
export function describeWithChromium(name: string, body: () => void): void {
  describeWhen(haveChromium, `${CHROMIUM} (apt-get install chromium)`, name, body);
}

/** Headless Chromium with nothing that reaches outside (no sync, no updates, no QUIC). */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

/**
 * Records in `problems` what a page should never do: throw, log a console message of one of
 * `consoleTypes`, or ask anything of a host other than the service (no CDN, no tracker).
 */
export function watchPage(
  page: Page,
  baseUrl: string,
  problems: string[],
  consoleTypes: readonly string[] = ['error'],
): void {
  if (consoleTypes.length > 0)
    page.on('console', (message) => {
      if (consoleTypes.includes(message.type())) problems.push(`console: ${message.text()}`);
    });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    if (!request.url().startsWith(baseUrl)) problems.push(`outside request: ${request.url()}`);
  });
}
