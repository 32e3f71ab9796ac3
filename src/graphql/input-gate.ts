import { GraphQLError, Kind, visit, type ASTNode, type DocumentNode } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { InvalidInputError } from '../domain/errors.js';

/** Deepest nesting of a JSON value (variables, a REST body) any operation of this API needs, with room to spare. */
export const MAX_INPUT_DEPTH = 32;
/** Deepest nesting of brackets in a document: the selection depth limit (15) plus input literals. */
export const MAX_DOCUMENT_NESTING = 64;

/**
 * The one gate every transport's input passes before any work is done on it: strings must be
 * text a database can store (no NUL, no unpaired UTF-16 surrogate), and values and documents
 * may nest only so deep (parsers, coercion and serialisers recurse). A refusal is an
 * InvalidInputError naming the field.
 */
export function inspectInput(value: unknown, root: string): InvalidInputError | undefined {
  const pending: [unknown, string, number][] = [[value, root, 0]];
  while (pending.length > 0) {
    const [item, path, depth] = pending.pop()!;
    if (typeof item === 'string') {
      const problem = stringProblem(item);
      if (problem) return new InvalidInputError(path || 'input', problem);
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) return new InvalidInputError(path || 'input', `nests deeper than ${MAX_INPUT_DEPTH} levels`);
    if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) pending.push([item[i], path ? `${path}.${i}` : String(i), depth + 1]);
      continue;
    }
    for (const [key, child] of Object.entries(item)) {
      const name = path ? `${path}.${key}` : key;
      const problem = stringProblem(key);
      if (problem) return new InvalidInputError(name, problem);
      pending.push([child, name, depth + 1]);
    }
  }
  return undefined;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function stringProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode text (it has an unpaired surrogate)';
  return undefined;
}

/** How deep a GraphQL document's brackets nest, counted on its text (strings and comments skipped), without parsing it. */
export function documentNesting(source: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '#') {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i++;
    } else if (c === '"') {
      if (source.startsWith('"""', i)) {
        i += 3;
        while (i < source.length && !source.startsWith('"""', i)) i += source.startsWith('\\"""', i) ? 4 : 1;
        i += 2;
      } else {
        i++;
        while (i < source.length && source[i] !== '"' && source[i] !== '\n') i += source[i] === '\\' ? 2 : 1;
      }
    } else if (c === '{' || c === '[' || c === '(') {
      deepest = Math.max(deepest, ++depth);
    } else if (c === '}' || c === ']' || c === ')') {
      depth--;
    }
  }
  return deepest;
}

/** The gate for a GraphQL request's parameters, before its document is parsed. */
export function inspectRequest(params: { query?: unknown; variables?: unknown; extensions?: unknown }): InvalidInputError | undefined {
  if (typeof params.query === 'string' && documentNesting(params.query) > MAX_DOCUMENT_NESTING) {
    return new InvalidInputError('query', `nests deeper than ${MAX_DOCUMENT_NESTING} levels`);
  }
  if (typeof params.query === 'string') {
    const problem = stringProblem(params.query);
    if (problem) return new InvalidInputError('query', problem);
  }
  return inspectInput(params.variables ?? null, '') ?? inspectInput(params.extensions ?? null, 'extensions');
}

/** The gate for the string literals of a parsed document (`"\u0000"` is a NUL once parsed). */
export function inspectDocument(document: DocumentNode): InvalidInputError | undefined {
  let found: InvalidInputError | undefined;
  visit(document, {
    StringValue(node, _key, _parent, _path, ancestors) {
      const problem = stringProblem(node.value);
      if (!problem) return undefined;
      found = new InvalidInputError(literalPath(ancestors) || 'query', problem);
      return false;
    },
  });
  return found;
}

/** `input.nickname` for a literal under argument `input`, object field `nickname`. */
function literalPath(ancestors: readonly (ASTNode | readonly ASTNode[])[]) {
  const names: string[] = [];
  for (const node of ancestors) {
    if (Array.isArray(node)) continue;
    const n = node as ASTNode;
    if (n.kind === Kind.ARGUMENT || n.kind === Kind.OBJECT_FIELD) names.push(n.name.value);
  }
  return names.join('.');
}

/** The refusal as GraphQL reports it: code and field in extensions, HTTP 400 where the transport has one. */
export function refusal(error: InvalidInputError): GraphQLError {
  return createGraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 400 } } });
}

/**
 * The gate as a yoga plugin: HTTP parameters before parsing (and malformed `variables` or
 * `extensions` in a GET query string answered 400), then every execution's variables and
 * literals, whichever transport (REST compat, WebSocket) started it.
 */
export function useInputGate(): Plugin {
  const check = (document: DocumentNode, variables: unknown) => inspectInput(variables ?? null, '') ?? inspectDocument(document);
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      if (request.method !== 'GET' || !requestParser) return;
      const parse = requestParser;
      setRequestParser(async (req) => {
        try {
          return await parse(req);
        } catch (error) {
          if (error instanceof SyntaxError) throw refusal(new InvalidInputError('variables', 'variables and extensions must be JSON objects'));
          throw error;
        }
      });
    },
    onParams({ params }) {
      const problem = inspectRequest(params);
      if (problem) throw refusal(problem);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const problem = check(args.document, args.variableValues);
      if (problem) setResultAndStopExecution({ errors: [refusal(problem)] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const problem = check(args.document, args.variableValues);
      if (problem) setResultAndStopExecution({ errors: [refusal(problem)] });
    },
  };
}
