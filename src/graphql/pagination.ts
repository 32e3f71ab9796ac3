import type { OutputType, SchemaTypes } from '@pothos/core';
import { InvalidInputError } from '../domain/errors.js';
import { builder } from './builder.js';

type SchemaTypesOf<B> = B extends PothosSchemaTypes.SchemaBuilder<infer T extends SchemaTypes> ? T : never;

export interface ForwardArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

const DEFAULT_PAGE = 50;
const MAX_PAGE = 100;

/**
 * A forward-only relay connection over a keyset: `fetch` gets the cursor to start after and a
 * limit one larger than the page, so the extra row tells whether another page exists.
 */
export async function forwardConnection<T>(
  args: ForwardArgs,
  fetch: (after: string | undefined, limit: number) => Promise<T[]>,
  toCursor: (node: T) => string,
  { maxPage = MAX_PAGE } = {},
) {
  if (args.last != null || args.before != null) throw new InvalidInputError('last', 'this list pages forward only: use first and after');
  const first = args.first ?? DEFAULT_PAGE;
  if (first < 0 || first > maxPage) throw new InvalidInputError('first', `must be 0 to ${maxPage}`);
  const rows = await fetch(args.after ?? undefined, first + 1);
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: toCursor(node), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: args.after != null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}


/** The description of `totalCount`: resolvers return it as a function, so it runs only when selected. */
export const TOTAL = 'How many items the whole list holds (counted only when selected).';

/** What a counted connection's resolver adds: the count, run only when a client selects `totalCount`. */
export interface Counted {
  totalCount: () => number | Promise<number>;
}

/** A connection page with its count attached (see `connectionOf`). */
export const counted = <C extends object>(connection: C, count: () => number | Promise<number>): C & Counted => ({
  ...connection,
  totalCount: count,
});

/**
 * The connection type of a node type: `<Name>Connection` of `<Name>Edge`s, with `totalCount`.
 * Create it once beside the node type and pass it to every `t.connection(options, ref)` listing
 * that node, so one node has one connection type. Resolvers answer `counted(page, () => n)`.
 * `totalCount: false` leaves the count out; say why in the description (docs/schema.md).
 */
export function connectionOf<Type extends OutputType<SchemaTypesOf<typeof builder>>>(
  node: Type,
  options: { name: string; description: string; totalCount?: false | string },
) {
  const total = options.totalCount ?? TOTAL;
  return builder.connectionObject(
    {
      type: node,
      name: `${options.name}Connection`,
      description: options.description,
      fields: (t) =>
        Object.fromEntries(
          total === false
            ? []
            : [['totalCount', t.int({ description: total, resolve: (connection) => (connection as unknown as Counted).totalCount() })]],
        ),
    },
    { name: `${options.name}Edge`, description: `One item of a ${options.name}Connection, with its cursor.` },
  );
}
