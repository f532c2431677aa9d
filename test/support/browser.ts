import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { describeWhen } from './describe-when.js';

/** Debian's Chromium, as .ci/run installs it (no browser download: the machines reach only npm and Debian). */
export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

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
