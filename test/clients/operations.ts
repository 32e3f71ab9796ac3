// The operations the client guides' tests run, typed by the client preset (test/clients/codegen.ts).
import { graphql } from './generated/index.js';

export const SendMessage = graphql(`
  mutation SendMessage($input: SendMessageInput!) {
    sendMessage(input: $input) {
      __typename
      ... on SendMessagePayload { messages { id seq content createdAt conversationId } }
      ... on Error { code message }
    }
  }
`);

export const Viewer = graphql(`
  query Viewer { viewer { id username createdAt } }
`);

export const Events = graphql(`
  subscription Events($since: String) {
    events(since: $since) {
      __typename
      at
      cursor
      ... on MessageEvent { message { id seq content createdAt from { id } } }
    }
  }
`);
