import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** What came back, as the checker needs it. */
export interface CheckedResponse {
  method: string;
  /** The request path, query string included or not. */
  path: string;
  status: number;
  contentType: string | null;
  /** Parsed JSON, the text when not JSON, undefined when empty. */
  body: unknown;
}

const DOCUMENT_ID = 'openapi';

/**
 * Checks a response against the OpenAPI document: its operation exists, it declares the status,
 * and the body matches the schema declared for that status and media type. `check` answers why
 * not, in one message, or undefined when the document describes the response.
 */
export class ResponseChecker {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  private readonly templates: { template: string; pattern: RegExp; parameters: number }[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: Json) {
    addFormats(this.ajv);
    this.ajv.addSchema(toJsonSchemaDialect(structuredClone(document)), DOCUMENT_ID);
    this.templates = Object.keys(document.paths ?? {})
      .map((template) => ({
        template,
        pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
        parameters: (template.match(/\{/g) ?? []).length,
      }))
      // A literal segment wins over a parameter (`/contacts/data-subject-requests` before `/contacts/{id}`).
      .sort((a, b) => a.parameters - b.parameters);
  }

  /** The document's path template the request path falls under, if any. */
  templateOf(path: string): string | undefined {
    const bare = path.split('?')[0];
    return this.templates.find(({ pattern }) => pattern.test(bare))?.template;
  }

  check(response: CheckedResponse): string | undefined {
    const { method, path, status } = response;
    const where = `${method} ${path} answered ${status}`;
    const template = this.templateOf(path);
    const operation = template && this.document.paths[template][method.toLowerCase()];
    if (!template || !operation) return `${where}: the API document has no operation ${method} for this path`;
    const declared = operation.responses?.[String(status)] ?? operation.responses?.[`${String(status)[0]}XX`] ?? operation.responses?.default;
    if (!declared) {
      return `${where}: status ${status} is not declared for ${method} ${template} (declared: ${Object.keys(operation.responses ?? {}).join(', ')})\n${preview(response.body)}`;
    }
    const content = declared.content as Record<string, { schema?: Json }> | undefined;
    if (!content || Object.keys(content).length === 0) {
      if (status === 204 && response.body !== undefined) return `${where}: a 204 with a body\n${preview(response.body)}`;
      return undefined; // no body described (e.g. a bare 200 "Success"): nothing more to check
    }
    if (response.body === undefined) return `${where}: no body, but ${method} ${template} ${status} declares ${Object.keys(content).join(', ')}`;
    const mediaType = response.contentType?.split(';')[0].trim().toLowerCase() ?? '';
    if (!(mediaType in content)) {
      return `${where}: content-type ${mediaType || '(none)'} is not declared for ${status} (declared: ${Object.keys(content).join(', ')})`;
    }
    const schema = content[mediaType].schema;
    if (!schema) return undefined;
    const validate = this.validatorFor(template, method.toLowerCase(), String(status), mediaType);
    if (validate(response.body)) return undefined;
    const errors = (validate.errors ?? [])
      .slice(0, 10)
      .map((e) => `  ${e.instancePath || '(body)'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
    return `${where}: the body does not match the schema of ${method} ${template} ${status} ${mediaType}:\n${errors.join('\n')}\n${preview(response.body)}`;
  }

  private validatorFor(template: string, method: string, status: string, mediaType: string): ValidateFunction {
    const pointer = ['paths', template, method, 'responses', status, 'content', mediaType, 'schema'].map(escapePointer).join('/');
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${DOCUMENT_ID}#/${pointer}` });
      this.validators.set(pointer, validate);
    }
    return validate;
  }
}

function escapePointer(segment: string): string {
  return encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));
}

function preview(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return `  body: ${text === undefined ? '(empty)' : text.slice(0, 1_000)}`;
}

/**
 * OpenAPI 3.0 schemas are a dialect of JSON Schema draft 4: a boolean `exclusiveMinimum` /
 * `exclusiveMaximum` qualifies `minimum` / `maximum`. Ajv reads them as draft 7 (a number).
 * `nullable` Ajv understands for `type`, but not for `enum`: OpenAPI 3.0.3 says it adds null to
 * the allowed values, so null joins the enum.
 */
function toJsonSchemaDialect(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchemaDialect);
  if (node === null || typeof node !== 'object') return node;
  for (const [bound, exclusive] of [
    ['minimum', 'exclusiveMinimum'],
    ['maximum', 'exclusiveMaximum'],
  ] as const) {
    if (typeof node[exclusive] === 'boolean') {
      if (node[exclusive] && typeof node[bound] === 'number') {
        node[exclusive] = node[bound];
        delete node[bound];
      } else delete node[exclusive];
    }
  }
  if (node.nullable === true && Array.isArray(node.enum) && !node.enum.includes(null)) node.enum = [...node.enum, null];
  for (const key of Object.keys(node)) node[key] = toJsonSchemaDialect(node[key]);
  return node;
}
