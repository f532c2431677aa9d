import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from './support/service.js';

// ajv (draft-07) is already in the tree (through eslint); the served schemas are draft-07 shaped.
const Ajv = createRequire(import.meta.url)('ajv') as new (options?: object) => {
  compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown };
};

interface OpenApi {
  openapi: string;
  paths: Record<string, { get: { responses: Record<string, unknown> } }>;
  components: { schemas: Record<string, object> };
}

describe('GET /api/recommendations and /api/openapi.json', () => {
  let running: RunningService;
  let base: string;
  let doc: OpenApi;
  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  /** A validator for a component, with the other components resolvable by $ref. */
  const validator = (name: string) => {
    const ajv = new Ajv({ allErrors: true });
    return ajv.compile({ ...doc.components.schemas[name], components: doc.components });
  };
  beforeAll(async () => {
    running = await startService({ API_RATE_LIMIT_PER_MINUTE: '100000' });
    base = running.baseUrl;
    doc = (await get('/api/openapi.json')).body as unknown as OpenApi;
  });
  afterAll(() => running.close());

  it('when the OpenAPI description is fetched, then it is 3.1, describes the list route and every $ref resolves', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/recommendations', '/api/recommendations/{id}', '/api/themes']),
    );
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/\w+/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(doc.components.schemas[ref.split('/').at(-1)!], ref).toBeDefined();
  });

  it('when every page of theme 4 is read, then each validates against the schema and the 81 come once, in order', async () => {
    const validate = validator('RecommendationPage');
    const ids: string[] = [];
    for (let page = 1; ; page++) {
      const { status, body } = await get(`/api/recommendations?theme=4&page=${page}&perPage=20`);
      expect(status).toBe(200);
      expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
      ids.push(...(body.recommendations as Array<{ id: string }>).map((r) => r.id));
      if (page >= (body.pages as number)) break;
    }
    expect(ids).toEqual(Array.from({ length: 81 }, (_, i) => `4.${i + 1}`));
  });

  it('when no theme is given, then the 300 are paged, and each names its place and its repeats', async () => {
    const { body } = await get('/api/recommendations?page=1&perPage=50');
    expect(body.total).toBe(300);
    expect(body.pages).toBe(6);
    const one = await get('/api/recommendations/4.11');
    expect(validator('Recommendation')(one.body)).toBe(true);
    expect(one.body.place).toMatchObject({
      theme: 4,
      number: 11,
      themeTitle: expect.stringContaining('SECURITAIRE'),
    });
    expect(one.body.repeats).toEqual([{ id: '4.57', kind: 'same' }]);
  });

  it('when the parameters are wrong, then a 400 or 404 with an error body that validates', async () => {
    const validate = validator('Error');
    for (const [path, status] of [
      ['/api/recommendations?theme=9', 400],
      ['/api/recommendations?perPage=500', 400],
      ['/api/recommendations?page=abc', 400],
      ['/api/recommendations?theme=5&page=99', 404],
    ] as const) {
      const answer = await get(path);
      expect(answer.status, path).toBe(status);
      expect(validate(answer.body)).toBe(true);
    }
  });
});
