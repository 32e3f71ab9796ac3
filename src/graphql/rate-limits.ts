import {
  getOperationAST,
  GraphQLError,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';
import { RateLimitedError } from '../domain/errors.js';
import type { RequestBudget, RequestLimiter } from '../domain/limits.js';
import type { Metrics } from '../metrics.js';

/** Root fields that spend a user's budget (admins spend their app's `admin` budget on every field). */
const USER_BUDGETS: Record<string, 'sends' | 'reads'> = {
  sendMessage: 'sends',
  messages: 'reads',
  conversations: 'reads',
  searchUser: 'reads',
  publicGroups: 'reads',
};

/** Root fields that need no token: they spend their client address's and their app's budgets. */
const ANONYMOUS_BUDGETS: Record<string, [perAddress: RequestBudget, perApp: RequestBudget]> = {
  registerUser: ['registrationsPerAddress', 'registrationsPerApp'],
  registerPushUser: ['registrationsPerAddress', 'registrationsPerApp'],
  createAccessToken: ['loginsPerAddress', 'loginsPerApp'],
  createAdminToken: ['loginsPerAddress', 'loginsPerApp'],
};

interface Charge {
  budget: RequestBudget;
  key: string;
  points: number;
}

/**
 * Request budgets (config.rateLimits), charged before a query or mutation runs: an operation over
 * budget does not run at all, and answers one error with code RATE_LIMITED and `retryAfterSeconds`
 * in its extensions, over HTTP with status 429 and a Retry-After header. REST dialects read the
 * same error and answer it in their own terms. Subscriptions are not charged (their events are
 * bounded by the sends that cause them).
 */
export function useRateLimits(limits: RequestLimiter, metrics: Metrics): Plugin {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (!operation || operation.operation === 'subscription') return;
      const context = args.contextValue as unknown as Context & { transport?: 'ws' };
      const fields = rootFields(args.document, operation.selectionSet);
      const charges = chargesOf(fields, context, (args.variableValues ?? {}) as Record<string, unknown>);
      try {
        for (const { budget, key, points } of charges) await limits.take(budget, key, points);
      } catch (error) {
        if (!(error instanceof RateLimitedError)) throw error;
        metrics.errors.inc({ code: error.code });
        setResultAndStopExecution(refusal(error, context.transport !== 'ws'));
      }
    },
  };
}

function chargesOf(fields: FieldNode[], { viewer, clientAddress }: Context, variables: Record<string, unknown>): Charge[] {
  const charges = new Map<string, Charge>();
  const charge = (budget: RequestBudget, key: string, points: number) => {
    const id = `${budget}\u0000${key}`;
    const existing = charges.get(id);
    if (existing) existing.points += points;
    else charges.set(id, { budget, key, points });
  };
  for (const field of fields) {
    const name = field.name.value;
    if (name.startsWith('__')) continue;
    if (viewer.kind === 'admin') {
      charge('admin', viewer.appId, 1);
      continue;
    }
    const userBudget = USER_BUDGETS[name];
    if (userBudget && viewer.kind === 'user') {
      charge(userBudget, `${viewer.appId}:${viewer.userId}`, userBudget === 'sends' ? targetCount(field, variables) : 1);
    }
    const anonymous = ANONYMOUS_BUDGETS[name];
    if (anonymous) {
      const appId = argument(field, 'appId', variables);
      charge(anonymous[0], clientAddress, 1);
      if (typeof appId === 'string') charge(anonymous[1], appId, 1);
    }
  }
  return [...charges.values()];
}

/** A send costs one point per target (message); malformed input costs one and fails validation anyway. */
function targetCount(field: FieldNode, variables: Record<string, unknown>): number {
  const input = argument(field, 'input', variables) as { targets?: unknown } | undefined;
  return Array.isArray(input?.targets) ? Math.max(1, input.targets.length) : 1;
}

function argument(field: FieldNode, name: string, variables: Record<string, unknown>): unknown {
  const node = field.arguments?.find((a) => a.name.value === name);
  if (!node) return undefined;
  try {
    return valueFromASTUntyped(node.value, variables);
  } catch {
    return undefined;
  }
}

/** The root fields an operation selects, through fragments (each occurrence, aliases included). */
function rootFields(document: DocumentNode, selectionSet: SelectionSetNode, seen = new Set<string>()): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) fields.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) fields.push(...rootFields(document, selection.selectionSet, seen));
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = document.definitions.find(
        (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value,
      );
      if (fragment) fields.push(...rootFields(document, fragment.selectionSet, seen));
    }
  }
  return fields;
}

function refusal(error: RateLimitedError, overHttp: boolean): ExecutionResult {
  const retryAfter = String(error.retryAfterSeconds);
  return {
    data: null,
    errors: [new GraphQLError(error.message, { extensions: error.extensions })],
    // Yoga answers with this status and these headers, and leaves `http` out of the body.
    ...(overHttp && { extensions: { http: { status: 429, headers: { 'Retry-After': retryAfter } } } }),
  };
}
