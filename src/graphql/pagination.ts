import { InvalidInputError } from '../domain/errors.js';

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


/**
 * The description of `totalCount` on the connections that say how long the whole list is. Their
 * resolvers return it as a function, so the count runs only when a client asks for it.
 */
export const TOTAL = 'How many there are in all.';
