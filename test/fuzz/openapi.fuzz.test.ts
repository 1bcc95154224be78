/**
 * The REST API against its own OpenAPI document, as schemathesis would check it (`--checks all`;
 * schemathesis is a Python tool and not installable here, see docs/security.md): for every
 * operation, parameters the document says are valid are never answered 400 and never 5xx, and
 * every JSON answer conforms to the document (positive_data_acceptance, not_a_server_error,
 * response_schema_conformance, status_code_conformance); parameters the document says are invalid
 * are answered 400 (negative_data_rejection); a method the document does not list is 405 with
 * Allow (unsupported_method).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiMounts } from '../../src/http/api';
import type { OpenApiDocument } from '../../src/http/api/docs-html';
import { FYLKER_2024 } from '../../src/http/api/schemas';
import { createApp } from '../../src/http/app';
import { silentLogger } from '../../src/lib/logger';
import { backends, type TestDb } from '../support/db';
import { fuzzRuns } from '../support/fuzz';
import { openApiConformance } from '../support/openapi';
import { prepareRuntime } from '../support/runtime';
import type { ReadModel } from '../../src/services/read-model';

const TOKEN = 'fuzz-token-0123456789abcdefghijk';
const AUTH = { authorization: `Bearer ${TOKEN}` };

interface Parameter {
  name: string;
  in: 'query' | 'path';
  required?: boolean;
  schema: { type?: string; enum?: string[]; pattern?: string; minimum?: number; maximum?: number; minLength?: number };
}

let t: TestDb;
let rm: ReadModel;
let app: ReturnType<typeof createApp>;
type Paths = Record<string, Record<string, { parameters?: Parameter[]; responses: Record<string, { content?: Record<string, unknown> }> }>>;
let doc: OpenApiDocument;
let paths: Paths;
const conformance = openApiConformance();

beforeAll(async () => {
  t = await backends.find((b) => b.name === 'pglite')!.open();
  rm = (await prepareRuntime(t.db)).readModel;
  app = createApp({ logger: silentLogger, ready: () => true, version: 'test', mounts: apiMounts({ tokens: [TOKEN], getReadModel: () => rm, version: 'test' }) });
  doc = (await (await app.request('/openapi.json')).json()) as OpenApiDocument;
  paths = doc.paths as unknown as Paths;
  conformance.use(doc);
});
afterAll(async () => {
  await t?.close();
});

/** Values the parameter's schema allows, as they travel in a URL. */
function valid(p: Parameter): fc.Arbitrary<string> {
  const s = p.schema;
  if (s.enum) return fc.constantFrom(...s.enum.map(String));
  if (s.pattern) return fc.stringMatching(new RegExp(s.pattern));
  if (s.type === 'integer') return fc.integer({ min: s.minimum ?? 0, max: s.maximum ?? 1_000_000 }).map(String);
  if (s.type === 'number') {
    const n = fc.double({ min: s.minimum ?? -1e9, max: s.maximum ?? 1e9, noNaN: true, noDefaultInfinity: true });
    // Clients write numbers several ways: 5, 0.25, 1e-7, 2.5e+2.
    return fc.oneof(n.map(String), n.map((x) => x.toExponential()), fc.integer({ min: Math.ceil(s.minimum ?? 0), max: Math.floor(s.maximum ?? 100) }).map(String));
  }
  return fc.string({ minLength: s.minLength ?? 0, maxLength: 20 });
}

/** Values the parameter's schema refuses. */
function invalid(p: Parameter): fc.Arbitrary<string> | null {
  const s = p.schema;
  const text = fc.string({ maxLength: 24 });
  if (s.enum) return text.filter((x) => !s.enum!.includes(x));
  if (s.pattern) {
    const re = new RegExp(s.pattern);
    return fc.oneof(text, fc.stringMatching(re).map((x) => `${x}x`), fc.stringMatching(re).map((x) => `9${x}`)).filter((x) => !re.test(x));
  }
  if (s.type === 'integer') return fc.oneof(fc.integer({ min: (s.maximum ?? 0) + 1, max: (s.maximum ?? 0) + 1e6 }).map(String), fc.constantFrom('-1', '1.5', 'x', ''), text.filter((x) => !/^\d+$/.test(x))).filter((x) => !(/^\d+$/.test(x) && Number(x) >= (s.minimum ?? 0) && Number(x) <= (s.maximum ?? Infinity)));
  if (s.type === 'number') return fc.oneof(fc.double({ min: (s.maximum ?? 0) + 1, max: 1e12, noNaN: true }).map(String), fc.constantFrom('x', '', '1,5', '--1', 'NaN'), text.filter((x) => Number.isNaN(Number(x))));
  return null;
}

const operations = () =>
  Object.entries(paths).flatMap(([template, methods]) => Object.entries(methods).map(([method, op]) => ({ template, method, op, params: op.parameters ?? [] })));

function url(template: string, values: Record<string, string | undefined>, params: Parameter[]): string {
  let path = template;
  const query = new URLSearchParams();
  for (const p of params) {
    const v = values[p.name];
    if (v === undefined) continue;
    if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(v));
    else query.set(p.name, v);
  }
  const q = query.toString();
  return `/api/v1${path}${q ? `?${q}` : ''}`;
}

/** A request of the operation's method; a POST (the validation route) carries a small valid case list. */
async function send(method: string, u: string): Promise<Response> {
  if (method === 'get') return app.request(u, { headers: AUTH });
  return app.request(u, { method: method.toUpperCase(), headers: { ...AUTH, 'content-type': 'text/csv' }, body: 'kommunenummer,label\n1804,1\n0301,1\n' });
}

describe('the API against its OpenAPI document', () => {
  it('the document lists the 2024 counties the registry knows', () => {
    expect(FYLKER_2024.map(([code]) => code)).toEqual(rm.registry.counties().map((c) => c.code));
    for (const [code, name] of FYLKER_2024) expect(rm.registry.resolveCounty(name)?.code).toBe(code);
  });

  it('valid parameters are never refused, never a server error, and every JSON answer conforms', async () => {
    for (const { template, method, params } of operations()) {
      expect(['get', 'post']).toContain(method);
      const shape = Object.fromEntries(params.map((p) => [p.name, p.required || p.in === 'path' ? valid(p) : fc.option(valid(p), { nil: undefined })]));
      await fc.assert(
        fc.asyncProperty(fc.record(shape), async (values) => {
          const u = url(template, values as Record<string, string | undefined>, params);
          const res = await send(method, u);
          expect(res.status, `${u} → ${res.status}: ${await res.clone().text()}`).not.toBe(400);
          expect(res.status, u).toBeLessThan(500);
          const type = (res.headers.get('content-type') ?? '').split(';')[0]!;
          if (type === 'application/json') conformance.expectConforms(template, res.status, type, await res.json(), method as 'get' | 'post');
          else expect(Object.keys(paths[template]![method]!.responses[String(res.status)]?.content ?? {}), u).toContain(type);
        }),
        { numRuns: fuzzRuns(40) },
      );
    }
  });

  it('parameters the document refuses are answered 400', async () => {
    for (const { template, method, params } of operations()) {
      for (const p of params.filter((x) => x.in === 'query')) {
        const bad = invalid(p);
        if (!bad) continue;
        await fc.assert(
          fc.asyncProperty(bad, async (v) => {
            const u = url(template.replace(/\{nr\}/, '1804'), { [p.name]: v }, params);
            const res = await send(method, u);
            expect(res.status, `${u} → ${res.status}`).toBe(400);
          }),
          { numRuns: fuzzRuns(30) },
        );
      }
    }
  });

  it('bbox and punkt: the documented pattern is exactly what the API accepts', async () => {
    for (const name of ['bbox', 'punkt']) {
      const p = paths['/tomter']!.get!.parameters!.find((x) => x.name === name)!;
      const re = new RegExp(p.schema.pattern!);
      const numbers = fc.oneof(fc.double({ min: -200, max: 200, noNaN: true }).map((x) => x.toFixed(3)), fc.integer({ min: -200, max: 200 }).map(String), fc.constantFrom('180', '180.0', '-90', '90.0001', '0180', '007', '-0'));
      const candidate = fc.array(numbers, { minLength: name === 'bbox' ? 3 : 1, maxLength: name === 'bbox' ? 5 : 3 }).map((xs) => xs.join(','));
      await fc.assert(
        fc.asyncProperty(candidate, async (v) => {
          const res = await app.request(`/api/v1/tomter?${name}=${encodeURIComponent(v)}`, { headers: AUTH });
          expect(res.status === 400, `${name}=${v} → ${res.status}`).toBe(!re.test(v));
        }),
        { numRuns: fuzzRuns(200) },
      );
    }
  });

  it('a method the document does not list is 405 with Allow', async () => {
    for (const template of Object.keys(paths)) {
      const listed = Object.keys(paths[template]!).map((m) => m.toUpperCase());
      const allow = listed.includes('GET') ? ['GET', 'HEAD', ...listed.filter((m) => m !== 'GET')] : listed;
      const u = url(template, { nr: '1804' }, [{ name: 'nr', in: 'path', schema: {} }]);
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].filter((m) => !listed.includes(m))) {
        const res = await app.request(u, { method, headers: AUTH });
        expect(res.status, `${method} ${u}`).toBe(405);
        expect(res.headers.get('allow'), `${method} ${u}`).toBe(allow.join(', '));
      }
    }
    for (const open of ['/openapi.json', '/docs']) {
      const res = await app.request(open, { method: 'DELETE' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
    }
  });
});
