import { describe, expect, it } from 'vitest';
import { escapeHtml, renderDocsHtml, type OpenApiDocument } from '../../../src/http/api/docs-html';

const evil = `<script>alert("x")</script>&'`;

const doc: OpenApiDocument = {
  openapi: '3.1.0',
  info: { title: `API ${evil}`, version: '1', description: evil },
  servers: [{ url: `/api"><img src=x>` }],
  paths: {
    '/things/{id}': {
      get: {
        operationId: 'get"Thing',
        summary: evil,
        parameters: [{ name: `id${evil}`, in: 'path', required: true, description: evil, schema: { type: 'string', pattern: '^<\\d>$', example: evil } }],
        responses: {
          '200': { description: evil, content: { 'application/json': { schema: { $ref: `#/components/schemas/Thing` } } } },
        },
      },
    },
  },
  components: {
    schemas: {
      Thing: { type: 'object', properties: { [`name${evil}`]: { type: ['string', 'null'], description: evil, enum: [evil] } }, required: [] },
    },
  },
};

describe('renderDocsHtml', () => {
  it('escapes every text taken from the document', () => {
    const html = renderDocsHtml(doc);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain(escapeHtml(evil));
    expect(html).toContain('<a href="#schema-Thing">Thing</a>');
    expect(html).toContain('id="op-get_Thing"');
  });

  it('escapeHtml covers the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
