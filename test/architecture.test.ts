import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../eslint.config.js';

/** The layering rules of docs/architecture.md, checked on the code and on the lint rule itself. */

const lint = new ESLint({ cwd: process.cwd() });
const restricted = async (filePath: string, code: string) => {
  const [result] = await lint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports');
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'public' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('channel folders', () => {
  it('when a channel file imports another channel folder, then lint fails', async () => {
    const cases: Array<[string, string]> = [
      ['adapters/ussd/fake.ts', "import { x } from '../sms/router.js';\nexport const y = x;\n"],
      ['adapters/ussd/dialects/fake.ts', "import { x } from '../../telegram/bot.js';\nexport const y = x;\n"],
      ['adapters/sms/fake.ts', "import { x } from '../ussd/session.js';\nexport const y = x;\n"],
      ['adapters/voice/fake.ts', "import { x } from '../ussd/render.js';\nexport const y = x;\n"],
      ['adapters/site/fake.ts', "import { x } from '../telegram/render.js';\nexport const y = x;\n"],
      ['adapters/site/pages/fake.ts', "import { x } from '../../whatsapp/render.js';\nexport const y = x;\n"],
      ['adapters/whatsapp/fake.ts', "import { x } from '../site/links.js';\nexport const y = x;\n"],
    ];
    for (const [file, code] of cases) expect(await restricted(file, code), file).toHaveLength(1);
  });

  it('when a channel file imports the core or shared infrastructure, then lint lets it', async () => {
    const code = [
      "import { a } from '../gateway/mount.js';",
      "import { b } from '../stores/memory-store.js';",
      "import { c } from '../metrics/prometheus.js';",
      "import { d } from '../../src/menu/index.js';",
      "import { e } from '../../src/i18n/sms.js';",
      'export const all = [a, b, c, d, e];',
      '',
    ].join('\n');
    expect(await restricted('adapters/ussd/fake.ts', code)).toEqual([]);
  });

  it('when the channel folders are read, then none imports another', () => {
    const crossing: string[] = [];
    for (const channel of CHANNELS) {
      let files: string[] = [];
      try {
        files = sourceFiles(join('adapters', channel));
      } catch {
        continue; // a planned channel without a folder yet
      }
      const others = CHANNELS.filter((other) => other !== channel).join('|');
      const pattern = new RegExp(`from '(\\.\\./)+(${others})/`);
      for (const file of files) if (pattern.test(readFileSync(file, 'utf8'))) crossing.push(file);
    }
    expect(crossing).toEqual([]);
  });
});
