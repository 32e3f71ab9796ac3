import { AsyncLocalStorage } from 'node:async_hooks';
import {
  getArgumentValues,
  getNamedType,
  getOperationAST,
  isCompositeType,
  Kind,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';
import { isAudited, recordAdminActions, type AuditRecord } from '../domain/audit.js';
import { DomainError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import { typedErrorListeners } from './builder.js';

/** The alias under which an audited field's result type is asked for, and removed again. */
const OUTCOME = '__auditOutcome';

/** The typed errors resolved while an audited operation runs, in order (see typedErrorListeners). */
const resolving = new AsyncLocalStorage<string[]>();

/** Hears typed errors (builder.ts `typedErrorListeners`): kept for the audited operation running. */
export function noteTypedError(error: Error) {
  if (error instanceof DomainError) resolving.getStore()?.push(error.code);
}

interface Planned {
  key: string;
  action: string;
  arguments: unknown;
  asksType: boolean;
}

/**
 * The audit log of admin actions: every mutation field an admin token runs (over HTTP, WebSocket
 * or a REST route), with its arguments (secrets redacted) and its outcome: `OK`, the code of the
 * typed error it answered, or `ERROR`. Mutation fields run one after another, so the typed errors
 * resolved while the operation runs belong, in order, to the fields whose result is an error type.
 */
export function useAuditLog(logger: Logger): Plugin<Context> {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const context = args.contextValue as Context;
      if (!isAudited(context.viewer)) return;
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'mutation') return;
      const planned = plan(args.schema, operation, args.variableValues ?? {});
      if (planned.length === 0) return;
      const codes: string[] = [];
      const document = withOutcomes(args.document, operation, planned);
      setExecuteFn((execution) => resolving.run(codes, () => executeFn({ ...execution, document })));
      return {
        onExecuteDone: async ({ result }) => {
          if (Symbol.asyncIterator in result) return;
          const records = outcomes(result, planned, codes);
          await recordAdminActions(context.deps, context.viewer, records).catch((error: unknown) =>
            logger.error({ err: error }, 'could not write the audit log'),
          );
        },
      };
    },
  };
}

function plan(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown>): Planned[] {
  const fields = schema.getMutationType()?.getFields() ?? {};
  return operation.selectionSet.selections
    .filter((selection): selection is FieldNode => selection.kind === Kind.FIELD && selection.name.value !== '__typename')
    .flatMap((node) => {
      const definition = fields[node.name.value];
      if (!definition) return [];
      let values: unknown = {};
      try {
        values = getArgumentValues(definition, node, variables);
      } catch {
        values = { invalid: true }; // execution refuses it the same way
      }
      const asksType = node.selectionSet !== undefined && isCompositeType(getNamedType(definition.type));
      return [{ key: node.alias?.value ?? node.name.value, action: node.name.value, arguments: values, asksType }];
    });
}

/** The operation's document with each audited field also asking its result type under OUTCOME. */
function withOutcomes(document: DocumentNode, operation: OperationDefinitionNode, planned: Planned[]): DocumentNode {
  const asking = new Set(planned.filter((p) => p.asksType).map((p) => p.key));
  const selections = operation.selectionSet.selections.map((selection) => {
    if (selection.kind !== Kind.FIELD || !selection.selectionSet || !asking.has(selection.alias?.value ?? selection.name.value)) return selection;
    const outcome: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: OUTCOME }, name: { kind: Kind.NAME, value: '__typename' } };
    return { ...selection, selectionSet: { ...selection.selectionSet, selections: [...selection.selectionSet.selections, outcome] } };
  });
  const replaced = { ...operation, selectionSet: { ...operation.selectionSet, selections } };
  return { ...document, definitions: document.definitions.map((d) => (d === operation ? replaced : d)) };
}

function outcomes(result: ExecutionResult, planned: Planned[], codes: string[]): AuditRecord[] {
  const failed = new Set(result.errors?.map((error) => error.path?.[0]).filter((key) => key !== undefined));
  const data = (result.data ?? {}) as Record<string, Record<string, unknown> | null | undefined>;
  const pending = [...codes];
  return planned.map(({ key, action, arguments: values, asksType }) => {
    const value = data[key];
    const typeName = value && typeof value === 'object' ? value[OUTCOME] : undefined;
    if (value && typeof value === 'object') delete value[OUTCOME];
    let outcome = 'OK';
    if (failed.has(key)) outcome = 'ERROR';
    else if (asksType && typeof typeName === 'string' && typeName.endsWith('Error')) outcome = pending.shift() ?? typeName;
    return { action, arguments: values, outcome };
  });
}

typedErrorListeners.add(noteTypedError);
