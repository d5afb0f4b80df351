import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { loadOpenApi } from '../http/openapi';

/**
 * Checks an HTTP response against an app's OpenAPI 3.1 document: the status is documented
 * for the operation (exactly, as a range such as 4XX, or as default), the content type is
 * one the response documents, and the body matches its schema. Requests that match no
 * documented operation (unknown paths, undocumented methods: 404/405 tests) are not checked.
 */

interface MediaType {
  schema?: object;
}
interface ResponseObject {
  content?: Record<string, MediaType>;
}
interface Operation {
  responses?: Record<string, ResponseObject>;
}
interface Route {
  template: string;
  pattern: RegExp;
  /** Literal segments first: /api/users/me wins over /api/users/{id}. */
  params: number;
  operations: Record<string, Operation>;
}

export interface ResponseContract {
  routes: Route[];
  validators: WeakMap<object, ValidateFunction>;
  ajv: Ajv2020;
}

export interface CheckedResponse {
  method: string;
  url: string;
  status: number;
  contentType: string | undefined;
  /** The parsed JSON body for JSON media types, the text for others; undefined when the bytes are not at hand (not checked). */
  body: unknown;
  /** Whether the response carried any body bytes. */
  hasBody: boolean;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Reads an openapi.yaml and inlines its local $refs, ready for responseProblem. */
export function loadResponseContract(yamlPath: string): ResponseContract {
  const document = loadDereferencedOpenApi(yamlPath) as { paths?: Record<string, Record<string, unknown>> };
  const routes = Object.entries(document.paths ?? {}).map(([template, item]) => {
    const operations = Object.fromEntries(Object.entries(item).filter(([method]) => METHODS.includes(method))) as Record<string, Operation>;
    const source = template
      .split(/(\{[^}]+\})/)
      .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
      .join('');
    return { template, pattern: new RegExp(`^${source}$`), params: (template.match(/\{/g) ?? []).length, operations };
  });
  routes.sort((a, b) => a.params - b.params);
  // strict off: OpenAPI adds keywords (example, xml, externalDocs) that JSON Schema does not know.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  return { routes, validators: new WeakMap(), ajv };
}

/** The documented response for a status: exact code, then 4XX-style range, then default. */
function documentedResponse(operation: Operation, status: number): ResponseObject | undefined {
  const responses = operation.responses ?? {};
  return responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses[`${String(status)[0]}xx`] ?? responses.default;
}

/** Why a response breaks the contract, or undefined when it keeps it (or no operation matches). */
export function responseProblem(contract: ResponseContract, response: CheckedResponse): string | undefined {
  const path = new URL(response.url, 'http://localhost').pathname;
  const method = response.method.toLowerCase();
  // HEAD is served wherever GET is: GET's statuses, no body.
  const route = contract.routes.find(
    (candidate) =>
      candidate.pattern.test(path) && (candidate.operations[method] ?? (method === 'head' ? candidate.operations.get : undefined)),
  );
  const operation = route?.operations[method] ?? route?.operations.get;
  if (!route || !operation) return undefined;
  const where = `${response.method.toUpperCase()} ${path} (${route.template}) answered ${response.status}`;
  const documented = documentedResponse(operation, response.status);
  if (!documented)
    return `${where}, a status openapi.yaml does not document (documented: ${Object.keys(operation.responses ?? {}).join(', ')})`;
  if (method === 'head' || response.status === 204 || response.status === 304) return undefined;

  const content = documented.content ?? {};
  const mediaType = response.contentType?.split(';')[0]?.trim().toLowerCase();
  if (Object.keys(content).length === 0) {
    return response.hasBody ? `${where} with a ${mediaType ?? 'untyped'} body, but openapi.yaml documents no content for it` : undefined;
  }
  const key = Object.keys(content).find((candidate) => matchesMediaType(candidate, mediaType));
  if (!key) return `${where} with content type ${mediaType ?? '(none)'}, but openapi.yaml documents ${Object.keys(content).join(', ')}`;
  const schema = content[key]?.schema;
  if (!schema || response.body === undefined) return undefined;
  let validate = contract.validators.get(schema);
  if (!validate) {
    validate = contract.ajv.compile(schema);
    contract.validators.set(schema, validate);
  }
  if (validate(response.body)) return undefined;
  const errors = contract.ajv.errorsText(validate.errors, { dataVar: 'body' });
  return `${where} with a body that does not match its ${key} schema: ${errors}; body: ${JSON.stringify(response.body)?.slice(0, 500)}`;
}

/** application/json matches application/json; text/* and * / * match by range. */
function matchesMediaType(documented: string, actual: string | undefined): boolean {
  if (!actual) return false;
  const [type, subtype] = documented.toLowerCase().split('/');
  const [actualType, actualSubtype] = actual.split('/');
  return (type === '*' || type === actualType) && (subtype === '*' || subtype === actualSubtype);
}

/** An openapi.yaml with its local $refs inlined. */
export function loadDereferencedOpenApi(yamlPath: string): Record<string, unknown> {
  const raw = loadOpenApi(yamlPath);
  return inlineRefs(raw, raw, []) as Record<string, unknown>;
}

/**
 * Replaces every local $ref ('#/components/...') by what it points at. (swagger-parser's
 * dereference does the same but is an ES module jest cannot load; the lint environment
 * validates the documents with it.)
 */
function inlineRefs(node: unknown, root: unknown, trail: string[]): unknown {
  if (Array.isArray(node)) return node.map((item) => inlineRefs(item, root, trail));
  if (node === null || typeof node !== 'object') return node;
  const ref = (node as { $ref?: unknown }).$ref;
  if (typeof ref === 'string') {
    if (!ref.startsWith('#/')) throw new Error(`openapi.yaml: only local $refs are supported, not ${ref}`);
    if (trail.includes(ref)) throw new Error(`openapi.yaml: $ref cycle through ${ref}`);
    const target = ref
      .slice(2)
      .split('/')
      .map((part) => decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], root);
    if (target === undefined) throw new Error(`openapi.yaml: $ref ${ref} points at nothing`);
    return inlineRefs(target, root, [...trail, ref]);
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, inlineRefs(value, root, trail)]));
}
