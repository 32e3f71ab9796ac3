import type { Params } from '../params.js';
import type { Method } from '../../shared/table.js';

export type { Method };

/** Request headers of the dialect, as the adapter hands them to a route. */
export interface RouteHeaders {
  appId: string | undefined;
  /** With an admin token: the group it acts as an admin of (header `group_id`). */
  groupId: string | undefined;
}

/**
 * One documented route (or its POST/PUT twins): which GraphQL operation serves it, how its
 * parameters become variables, and how the operation's result becomes the envelope. The
 * document's root field is aliased `result`; typed errors are selected with `...Failure`.
 */
export interface Route {
  methods: Method[];
  path: string;
  document: string;
  variables?: (params: Params, headers: RouteHeaders) => Record<string, unknown>;
  /**
   * The envelope's `data`, from the `result` field's value (and the other root fields, if any).
   * It may throw a `domainFailure` where a lookup answered null and the dialect answers an error.
   */
  data?: (value: any, all: any) => unknown;
  /** When the `result` field is null: the message of a "does not exist" (10000) answer. */
  notFound?: string;
  /** More envelope fields beside `data` (paged lists add `cursor` and `version`). */
  extra?: (value: any) => Record<string, unknown>;
}

export type Json = Record<string, any>;

/** GraphQL ids are decimal strings; the dialect's ids are JSON numbers (all below 2^53). */
export const id = (value: string | null | undefined) => (value == null ? null : Number(value));

/** A mutation whose REST answer is `true`: its `<Action>Payload` is selected by name only. */
export const done = (field: string) => `... on ${field[0]!.toUpperCase()}${field.slice(1)}Payload { __typename }`;
export const yes = () => true;
