import { createGraphQLError, type Plugin } from 'graphql-yoga';

/**
 * Request body limits by kind: JSON (and other) bodies up to `json` bytes; GraphQL multipart
 * uploads up to `multipart`, since yoga reads multipart files into memory before resolvers run.
 * Large files go through the streaming upload URL instead (see docs/architecture.md, files). The
 * declared Content-Length is refused at once; a body without one is counted as it streams.
 */
export function useBodyLimits(limits: { json: number; multipart: number }): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const multipart = (request.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data');
      const limit = multipart ? limits.multipart : limits.json;
      const declared = request.headers.get('content-length');
      if (declared !== null && (!/^\d+$/.test(declared) || Number(declared) > limit)) throw tooLarge(limit);
      if (!requestParser || !request.body) return;
      const parse = requestParser;
      setRequestParser((req) => {
        let read = 0;
        const counted = req.body!.pipeThrough(
          new fetchAPI.TransformStream({
            transform(chunk: Uint8Array, controller) {
              read += chunk.byteLength;
              if (read > limit) controller.error(tooLarge(limit));
              else controller.enqueue(chunk);
            },
          }),
        );
        // @ts-expect-error duplex is required for streamed bodies but missing from the types
        return parse(new fetchAPI.Request(req.url, { method: req.method, headers: req.headers, signal: req.signal, body: counted, duplex: 'half' }));
      });
    },
  };
}

const tooLarge = (limit: number) =>
  createGraphQLError(`Request body too large: at most ${limit} bytes`, { extensions: { http: { status: 413 }, code: 'REQUEST_ENTITY_TOO_LARGE' } });
