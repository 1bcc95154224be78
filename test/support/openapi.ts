// Response bodies checked against the emitted OpenAPI document with an independent JSON Schema
// validator (Ajv, draft 2020-12): the document is the contract, not the zod schemas behind it.
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import type { OpenApiDocument } from '../../src/http/api/docs-html';

const pointer = (parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

export interface Conformance {
  ajv: Ajv2020;
  /** Registers the served document; call once before checking bodies. */
  use(doc: OpenApiDocument): void;
  /** Validates a body against the document's schema for this operation (GET unless said), status and media type. */
  expectConforms(template: string, status: number, mediaType: string, body: unknown, method?: 'get' | 'post'): void;
}

export function openApiConformance(): Conformance {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const validators = new Map<string, ValidateFunction>();
  let doc: OpenApiDocument | undefined;
  return {
    ajv,
    use(d) {
      doc = d;
      ajv.addSchema(d as object, 'openapi.json');
    },
    expectConforms(template, status, mediaType, body, method = 'get') {
      const op = (doc?.paths[template] as Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }> | undefined)?.[method];
      const response = op?.responses[String(status)];
      expect(response, `${method.toUpperCase()} ${template} documents ${status}`).toBeDefined();
      expect(response!.content?.[mediaType], `${method.toUpperCase()} ${template} ${status} documents ${mediaType}`).toBeDefined();
      const ref = `openapi.json#/${pointer(['paths', template, method, 'responses', String(status), 'content', mediaType, 'schema'])}`;
      let validate = validators.get(ref);
      if (!validate) validators.set(ref, (validate = ajv.compile({ $ref: ref })));
      const ok = validate(body);
      expect(ok, `${template} ${status} ${mediaType}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    },
  };
}
