/**
 * The API reference at /docs: one self-contained HTML page rendered on the server from the
 * OpenAPI document (operations, parameters, responses, schemas). No scripts, no external assets;
 * every text from the document is escaped.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = { [k: string]: Json };

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers?: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema>; securitySchemes?: Record<string, Schema> };
}

interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: Schema }[];
  responses: Record<string, { description: string; headers?: Record<string, { schema?: Schema; description?: string }>; content?: Record<string, { schema?: Schema }> }>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const MAX_DEPTH = 8;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

const anchor = (prefix: string, name: string) => `${prefix}-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
const code = (s: string) => `<code>${escapeHtml(s)}</code>`;
const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

function refName(ref: string): string {
  return ref.replace(/^#\/components\/schemas\//, '');
}

/** A one-line summary of a schema's type: "string", "integer | null", "array of KommuneItem". */
function typeLabel(s: Schema): string {
  if (typeof s.$ref === 'string') {
    const n = refName(s.$ref);
    return `<a href="#${anchor('schema', n)}">${escapeHtml(n)}</a>`;
  }
  for (const k of ['anyOf', 'oneOf'] as const) {
    const alts = s[k];
    if (Array.isArray(alts)) return alts.map((a) => typeLabel(a as Schema)).join(' | ');
  }
  if ('const' in s) return code(JSON.stringify(s.const));
  const types = Array.isArray(s.type) ? s.type.map(String) : typeof s.type === 'string' ? [s.type] : [];
  const parts = types.map((t) => {
    if (t === 'array' && s.items && typeof s.items === 'object' && !Array.isArray(s.items)) return `array of ${typeLabel(s.items)}`;
    if (t === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object' && !Array.isArray(s.additionalProperties) && !s.properties) {
      return `map of string → ${typeLabel(s.additionalProperties)}`;
    }
    return escapeHtml(t);
  });
  return parts.length > 0 ? parts.join(' | ') : 'any';
}

function constraints(s: Schema): string {
  const out: string[] = [];
  if (Array.isArray(s.enum)) out.push(`one of ${s.enum.map((v) => code(JSON.stringify(v))).join(', ')}`);
  if (typeof s.minimum === 'number') out.push(`≥ ${s.minimum}`);
  if (typeof s.maximum === 'number') out.push(`≤ ${s.maximum}`);
  if (typeof s.minItems === 'number') out.push(`at least ${s.minItems} items`);
  if (typeof s.minLength === 'number' && s.minLength > 0) out.push(`at least ${s.minLength} characters`);
  if (str(s.format)) out.push(`format ${code(str(s.format)!)}`);
  if (str(s.pattern)) out.push(`pattern ${code(str(s.pattern)!)}`);
  if (s.default !== undefined) out.push(`default ${code(JSON.stringify(s.default))}`);
  if (s.example !== undefined) out.push(`example ${code(JSON.stringify(s.example))}`);
  return out.join('; ');
}

/** Nested inner schemas worth expanding in place: inline objects and arrays of them. */
function inlineObject(s: Schema): Schema | null {
  if (s.properties && typeof s.properties === 'object') return s;
  if (s.items && typeof s.items === 'object' && !Array.isArray(s.items)) return inlineObject(s.items);
  if (s.additionalProperties && typeof s.additionalProperties === 'object' && !Array.isArray(s.additionalProperties)) return inlineObject(s.additionalProperties);
  for (const k of ['anyOf', 'oneOf'] as const) {
    const alts = s[k];
    if (Array.isArray(alts)) {
      const objs = alts.map((a) => inlineObject(a as Schema)).filter((x): x is Schema => x !== null);
      if (objs.length === 1) return objs[0]!;
    }
  }
  return null;
}

function describe(s: Schema): string {
  const d = str(s.description);
  const c = constraints(s);
  return [d ? escapeHtml(d) : '', c].filter(Boolean).join(' <span class="c">') + (d && c ? '</span>' : '');
}

function schemaHtml(s: Schema, depth = 0): string {
  const head = `<p class="t">${typeLabel(s)}${describe(s) ? ` — ${describe(s)}` : ''}</p>`;
  const obj = typeof s.$ref === 'string' ? null : inlineObject(s);
  if (!obj || depth > MAX_DEPTH) return head;
  return head + propertiesHtml(obj, depth);
}

function propertiesHtml(obj: Schema, depth: number): string {
  const props = obj.properties as Record<string, Schema> | undefined;
  if (!props) return '';
  const required = new Set(Array.isArray(obj.required) ? obj.required.map(String) : []);
  const rows = Object.entries(props).map(([name, p]) => {
    const nested = typeof p.$ref === 'string' ? null : inlineObject(p);
    const sub = nested && nested !== obj && depth < MAX_DEPTH ? propertiesHtml(nested, depth + 1) : '';
    return `<li>${code(name)}${required.has(name) ? '' : ' <span class="opt">optional</span>'}: ${typeLabel(p)}${describe(p) ? ` — ${describe(p)}` : ''}${sub}</li>`;
  });
  return `<ul>${rows.join('')}</ul>`;
}

function operationHtml(path: string, method: string, op: Operation): string {
  const id = anchor('op', op.operationId ?? `${method}${path}`);
  const params = op.parameters ?? [];
  const paramRows = params
    .map(
      (p) =>
        `<tr><td>${code(p.name)}</td><td>${escapeHtml(p.in)}</td><td>${p.required ? 'yes' : 'no'}</td><td>${p.schema ? typeLabel(p.schema) : ''}</td><td>${[
          p.description ? escapeHtml(p.description) : '',
          p.schema ? constraints(p.schema) : '',
        ]
          .filter(Boolean)
          .join('<br>')}</td></tr>`,
    )
    .join('');
  const responses = Object.entries(op.responses)
    .map(([status, r]) => {
      const headers = Object.entries(r.headers ?? {})
        .map(([h, v]) => `<p class="h">Header ${code(h)}${v.description ? ` — ${escapeHtml(v.description)}` : ''}</p>`)
        .join('');
      const content = Object.entries(r.content ?? {})
        .map(([type, m]) => `<div class="m"><p>${code(type)}</p>${m.schema ? schemaHtml(m.schema) : ''}</div>`)
        .join('');
      return `<div class="r"><h4>${escapeHtml(status)} <span>${escapeHtml(r.description)}</span></h4>${headers}${content}</div>`;
    })
    .join('');
  return `<section id="${id}"><h3><span class="verb">${escapeHtml(method.toUpperCase())}</span> ${code(path)}</h3>${op.summary ? `<p><strong>${escapeHtml(op.summary)}</strong></p>` : ''}${
    op.description ? `<p>${escapeHtml(op.description)}</p>` : ''
  }${
    params.length > 0 ? `<h4>Parameters</h4><table><tr><th>Name</th><th>In</th><th>Required</th><th>Type</th><th>Description</th></tr>${paramRows}</table>` : ''
  }<h4>Responses</h4>${responses}</section>`;
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
code{font:13px ui-monospace,monospace;background:#f2f2f2;padding:0 .2em;border-radius:3px}
h3{border-top:1px solid #ccc;padding-top:1rem}.verb{font:bold 13px ui-monospace,monospace;background:#0b6e4f;color:#fff;padding:.1em .4em;border-radius:3px}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
.r{margin-left:1rem}.r h4 span{font-weight:normal}.opt,.c{color:#666}ul{margin:.2rem 0}.t{margin:.2rem 0}`;

export function renderDocsHtml(doc: OpenApiDocument): string {
  const ops: string[] = [];
  const toc: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      ops.push(operationHtml(path, method, op));
      toc.push(`<li><a href="#${anchor('op', op.operationId ?? `${method}${path}`)}">${escapeHtml(method.toUpperCase())} ${escapeHtml(path)}</a>${op.summary ? ` — ${escapeHtml(op.summary)}` : ''}</li>`);
    }
  }
  const schemas = Object.entries(doc.components?.schemas ?? {})
    .map(([name, s]) => `<section id="${anchor('schema', name)}"><h3>${escapeHtml(name)}</h3>${schemaHtml(s)}</section>`)
    .join('');
  const server = doc.servers?.[0]?.url ?? '';
  const title = `${doc.info.title} ${doc.info.version}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>
<h1>${escapeHtml(title)}</h1>
${doc.info.description ? `<p>${escapeHtml(doc.info.description)}</p>` : ''}
<p>Base URL: ${code(server)}. Authentication: ${code('Authorization: Bearer <token>')}. OpenAPI ${escapeHtml(doc.openapi)} document: <a href="${escapeHtml(`${server}/openapi.json`)}">${escapeHtml(`${server}/openapi.json`)}</a>.</p>
<h2>Operations</h2><ul>${toc.join('')}</ul>
${ops.join('\n')}
<h2>Schemas</h2>
${schemas}
</body></html>
`;
}
