// The API contract as the fake server enforces it: every request the app sends (path, method,
// query, JSON body) and every answer a test makes the fake server give (status and JSON body) is
// checked against the OpenAPI document's schemas (scripts/contract.cjs: ../api/openapi.json plus
// the pending supplement). A fixture the real server would never send, or a body it would refuse
// to read, is recorded as a violation, and `test/setup.ts` fails the test that caused it.
import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction, ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { loadContract, pendingPaths } from '../../scripts/contract.cjs';

/** Where the document's paths start; the app's `config.apiBaseUrl` ends with it. */
export const API_PREFIX = '/api/v1';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Schema {
  [key: string]: Json;
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
interface Route {
  template: string;
  pattern: RegExp;
  /** Path parameters: fewer means a more specific route (`/policies/matched` before `/policies/{id}`). */
  params: number;
  operations: Record<string, Operation>;
}

const CONTRACT_ID = 'qinqing-contract';

/** `#/components/schemas/X` → `qinqing-contract#/$defs/X`, everywhere in a copy of `value`. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', `${CONTRACT_ID}#/$defs/`) : rewriteRefs(v);
    }
    return out;
  }
  return value;
}

function buildAjv(schemas: Record<string, unknown>): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  // OpenAPI's own formats for numbers and files.
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('binary', true);
  ajv.addSchema({ $id: CONTRACT_ID, $defs: rewriteRefs(schemas) as Record<string, Schema> });
  return ajv;
}

export interface CheckedRequest {
  method: string;
  /** Below the API base, without the query, e.g. `/demands/42/accept`. */
  path: string;
  query: Record<string, string>;
  header: Record<string, string>;
  /** The JSON body, or undefined (GET, uploads). */
  data: unknown;
  /** Multipart uploads and downloads carry no JSON body to check. */
  via: 'request' | 'uploadFile' | 'downloadFile';
}

class Contract {
  private readonly ajv: Ajv2020;
  private readonly routes: Route[];
  private readonly compiled = new Map<object, ValidateFunction>();
  readonly pending: string[];

  constructor() {
    const doc = loadContract();
    this.ajv = buildAjv(doc.components.schemas);
    this.pending = pendingPaths();
    this.routes = Object.entries(doc.paths)
      .map(([template, item]) => {
        const names = template.match(/\{[^}]+\}/g) ?? [];
        const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '([^/]+)');
        return { template, pattern: new RegExp(`^${source}$`), params: names.length, operations: item as Record<string, Operation> };
      })
      .sort((a, b) => a.params - b.params);
  }

  /** The route of `path` (below the API base), or null when the document has none. */
  route(path: string): Route | null {
    const full = API_PREFIX + path;
    return this.routes.find((r) => r.pattern.test(full)) ?? null;
  }

  /** A schema of the document (e.g. `DemandResponse`) checked against `value`: the problems, none when valid. */
  checkSchema(name: string, value: unknown): string[] {
    return this.validate({ $ref: `#/components/schemas/${name}` }, value, name);
  }

  private validate(schema: Schema, value: unknown, where: string): string[] {
    let fn = this.compiled.get(schema);
    if (!fn) {
      fn = this.ajv.compile(rewriteRefs(schema) as Schema);
      this.compiled.set(schema, fn);
    }
    return fn(value) ? [] : (fn.errors ?? []).map((e: ErrorObject) => `${where}${e.instancePath || ''} ${e.message ?? 'is invalid'}${extra(e)}`);
  }

  /** What is wrong with a request the app sent: the path, the method, the query, the body. */
  checkRequest(req: CheckedRequest): string[] {
    const override = Object.entries(req.header).find(([k]) => k.toLowerCase() === 'x-http-method-override')?.[1];
    const method = (override ?? req.method).toLowerCase();
    const where = `${method.toUpperCase()} ${req.path}`;
    const route = this.route(req.path);
    if (!route) return [`${where}: no such path in the API contract`];
    const op = route.operations[method];
    if (!op) return [`${where}: ${route.template} has no ${method.toUpperCase()} in the API contract`];
    const problems: string[] = [];
    const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query');
    for (const [name, raw] of Object.entries(req.query)) {
      const param = queryParams.find((p) => p.name === name);
      if (!param) {
        problems.push(`${where}: query parameter \`${name}\` is not in the contract`);
        continue;
      }
      problems.push(...this.validate(param.schema ?? {}, parseQueryValue(raw, param.schema), `${where} ?${name}`));
    }
    for (const p of queryParams) {
      if (p.required && !(p.name in req.query)) problems.push(`${where}: required query parameter \`${p.name}\` missing`);
    }
    if (req.via !== 'request') return problems;
    const bodySchema = op.requestBody?.content?.['application/json']?.schema;
    const empty = req.data === undefined || req.data === null || (typeof req.data === 'object' && Object.keys(req.data as object).length === 0);
    if (!bodySchema) {
      if (!empty && method !== 'get') problems.push(`${where}: sends a body, but the contract takes none`);
      return problems;
    }
    if (req.data === undefined) {
      if (op.requestBody?.required) problems.push(`${where}: the contract requires a JSON body`);
      return problems;
    }
    problems.push(...this.validate(bodySchema, req.data, `${where} body`));
    return problems;
  }

  /** What is wrong with an answer a test made the fake server give to `req`. */
  checkResponse(req: CheckedRequest, statusCode: number, data: unknown): string[] {
    const override = Object.entries(req.header).find(([k]) => k.toLowerCase() === 'x-http-method-override')?.[1];
    const method = (override ?? req.method).toLowerCase();
    const where = `${method.toUpperCase()} ${req.path} → ${statusCode}`;
    const route = this.route(req.path);
    const op = route?.operations[method];
    if (!op) return []; // Reported by checkRequest already.
    const response = op.responses?.[String(statusCode)];
    if (statusCode >= 200 && statusCode < 400) {
      if (!response) return [`${where}: the contract documents no ${statusCode} for this operation`];
      if (req.via === 'downloadFile' || statusCode === 204) return [];
      const schema = response.content?.['application/json']?.schema;
      if (!schema) return data === undefined || data === '' ? [] : [`${where}: the contract documents no JSON body`];
      return this.validate(schema, data, `${where} body`);
    }
    // Any error may come from any route (401, 404, 429, 503 from the middleware): always an ErrorBody.
    if (req.via === 'downloadFile') return [];
    const schema = response?.content?.['application/json']?.schema ?? { $ref: '#/components/schemas/ErrorBody' };
    return this.validate(schema, data, `${where} body`);
  }
}

function extra(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  if ('additionalProperty' in params) return ` (${String(params.additionalProperty)})`;
  if ('allowedValues' in params) return ` (${JSON.stringify(params.allowedValues)})`;
  return '';
}

/** A query string value as the server's typed extractor reads it. */
function parseQueryValue(raw: string, schema: Schema | undefined): unknown {
  const types = schema?.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (types.includes('boolean') && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

let instance: Contract | null = null;

/** The contract, loaded once per test file. */
export function contract(): Contract {
  instance ??= new Contract();
  return instance;
}

/** Violations recorded by the fake server since the last `takeViolations()`. */
const violations: string[] = [];

export function recordViolations(found: string[]): void {
  violations.push(...found);
}

export function takeViolations(): string[] {
  return violations.splice(0, violations.length);
}
