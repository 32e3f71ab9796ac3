import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { GraphQLError } from 'graphql';

/**
 * graphql-armor's cost limit, refusing a document before it runs with an error that says what to
 * change (armor's own starts "Syntax Error", which it is not), coded QUERY_TOO_EXPENSIVE.
 */
export function useCostLimit(maxCost: number) {
  return costLimitPlugin({
    maxCost,
    propagateOnRejection: false,
    onReject: [
      (context, error) => {
        const found = /found (\d+(?:\.\d+)?)/.exec(error.message)?.[1];
        const cost = found ? Math.ceil(Number(found)) : undefined;
        context?.reportError(
          new GraphQLError(
            `The document is too expensive: it costs ${cost ?? 'more than that'} where ${maxCost} is the most allowed. Ask for fewer items (first/last), fewer aliases or fewer nested lists.`,
            { extensions: { code: 'QUERY_TOO_EXPENSIVE', cost, maxCost } },
          ),
        );
      },
    ],
  });
}
