import { readFileSync } from 'node:fs';
import { StartupError } from '../errors.js';
import { CorpusSchema, type Corpus } from './schema.js';

export class CorpusError extends StartupError {
  constructor(message: string) {
    super('corpus', message);
  }
}

/** Parses and validates a corpus; the error names the bad entry (its id when it has one). */
export function parseCorpus(json: string, source = 'corpus'): Corpus {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw new CorpusError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  const result = CorpusSchema.safeParse(data);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 10).map((issue) => {
    const [section, index] = issue.path;
    let where = issue.path.join('.');
    if (section === 'recommendations' && typeof index === 'number') {
      const entry = (data as { recommendations?: Array<{ id?: unknown }> }).recommendations?.[index];
      where = `recommendation ${typeof entry?.id === 'string' ? entry.id : `#${index}`} (${issue.path.slice(2).join('.') || 'entry'})`;
    }
    return `${where}: ${issue.message}`;
  });
  throw new CorpusError(`${source} is invalid:\n  ${problems.join('\n  ')}`);
}

export function loadCorpus(path: string): Corpus {
  let json: string;
  try {
    json = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CorpusError(`cannot read corpus ${path}: ${(error as Error).message}`);
  }
  return parseCorpus(json, path);
}
