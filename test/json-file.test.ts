import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FileFollowUpStore, FOLLOW_UP_FILE } from '../adapters/followup/file-store.js';
import { FileSubscriptionStore, SUBSCRIPTIONS_FILE } from '../adapters/subscriptions/file-store.js';
import { StartupError } from '../src/errors.js';
import { JsonFileError, readJsonFile } from '../src/json-file.js';

const dir = mkdtempSync(join(tmpdir(), 'dim-json-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const Schema = z.object({ format: z.literal(1), items: z.array(z.object({ id: z.string() })) });
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('a JSON file read and validated (src/json-file.ts)', () => {
  it("when the file has the schema's shape, then its parsed value is returned", () => {
    const path = file('good.json', '{"format":1,"items":[{"id":"a","extra":true}]}');
    expect(readJsonFile(path, Schema)).toEqual({ format: 1, items: [{ id: 'a' }] });
  });

  it('when a field has the wrong type, then one error names the file and the field path', () => {
    const path = file('bad-shape.json', '{"format":1,"items":[{"id":"a"},{"id":7}]}');
    expect(() => readJsonFile(path, Schema)).toThrow(JsonFileError);
    expect(() => readJsonFile(path, Schema)).toThrow(new RegExp(`^${path}: items\\.1\\.id: `));
  });

  it('when the file is not JSON, then the error names the file and says so', () => {
    const path = file('broken.json', '{"format":1,');
    expect(() => readJsonFile(path, Schema)).toThrow(`${path}: not valid JSON`);
  });

  it('when the file is missing, then the caller decides: its empty value, or an error naming it', () => {
    const path = join(dir, 'absent.json');
    expect(readJsonFile(path, Schema, { missing: () => ({ format: 1 as const, items: [] }) })).toEqual({
      format: 1,
      items: [],
    });
    expect(() => readJsonFile(path, Schema)).toThrow(`cannot read ${path}`);
    // A start-up error: main.ts prints its one line and exits.
    expect(() => readJsonFile(path, Schema)).toThrow(StartupError);
  });

  it('when a store file has another format, then start-up stops naming the file and the field', () => {
    const followUps = mkdtempSync(join(dir, 'followup-'));
    writeFileSync(join(followUps, FOLLOW_UP_FILE), '{"format":2,"versions":{}}');
    expect(() => new FileFollowUpStore(followUps)).toThrow(`${join(followUps, FOLLOW_UP_FILE)}: format: `);
    const subscriptions = mkdtempSync(join(dir, 'subscriptions-'));
    writeFileSync(join(subscriptions, SUBSCRIPTIONS_FILE), '{"format":1,"records":[3]}');
    expect(() => new FileSubscriptionStore(subscriptions)).toThrow(
      `${join(subscriptions, SUBSCRIPTIONS_FILE)}: records.0: expected an object`,
    );
  });

  it('when a store file is missing, then the store starts empty', async () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    const store = new FileSubscriptionStore(empty);
    expect(await store.audience({ kind: 'all' })).toEqual([]);
    await store.close();
  });
});
