import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { imageSources } from './support/dockerfile.js';

/**
 * The image ships every file the service reads at start. Docker does not run here, so the test
 * reads the Dockerfile: the production stage's COPY lines from the build context are the files
 * the image holds (its dist/ comes from the build stage, with each adapter's public/ assets,
 * scripts/copy-build-assets.mjs). A child process starts the service with fs wrapped and lists
 * what it read; each path must be in the image. A COPY line dropped from the Dockerfile (as
 * content/translations/ once was: the container served no Bambara labels or summaries,
 * silently) fails here.
 */
const run = promisify(execFile);

const inImage = (path: string, sources: string[]) =>
  sources.some((source) => path === source || path.startsWith(`${source}/`)) ||
  // Built assets: copy-build-assets.mjs puts adapters/<name>/public into dist/.
  /^adapters\/[^/]+\/public(\/|$)/.test(path);

describe('the image layout (Dockerfile)', () => {
  const dockerfile = readFileSync('Dockerfile', 'utf8');

  it('when the production stage is read, then it copies the content the service starts from', () => {
    const sources = imageSources(dockerfile);
    expect(sources).toEqual(
      expect.arrayContaining([
        'content/recommendations.json',
        'content/lexicon.json',
        'content/i18n',
        'content/translations',
      ]),
    );
  });

  it('when the service starts, then every file it reads is one the image holds', async () => {
    const { stdout } = await run(
      join('node_modules', '.bin', 'tsx'),
      [join('test', 'support', 'startup-reads.ts')],
      { timeout: 60_000 },
    );
    const read = JSON.parse(stdout) as string[];
    expect(read).toEqual(
      expect.arrayContaining(['content/recommendations.json', 'content/translations/bm.json']),
    );
    const sources = imageSources(dockerfile);
    expect(read.filter((path) => !inImage(path, sources))).toEqual([]);
  }, 60_000);

  it('when a COPY line is missing, then the check finds what the service would lack', () => {
    const without = dockerfile.replace(/^COPY content\/translations\/.*$/m, '');
    const sources = imageSources(without);
    expect(inImage('content/translations/bm.json', sources)).toBe(false);
    expect(inImage('content/i18n/glossary/bm.json', sources)).toBe(true);
  });
});
