/** One server-sent event of a GraphQL stream: `next` with a result, or `complete`. */
export interface SseEvent {
  event: string;
  data: any;
}

/**
 * Opens a GraphQL subscription over server-sent events. `next()` resolves with the next `next`
 * event's result, or undefined once the stream has ended (after a `complete` event or the
 * response's end); `ended` resolves with every event seen, once the response body ends.
 */
export async function sse(url: string, query: string, options: { token?: string; variables?: Record<string, unknown> } = {}) {
  const controller = new AbortController();
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables: options.variables ?? {} }),
    signal: controller.signal,
  });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const seen: SseEvent[] = [];
  let buffer = '';
  let finished = false;
  let resolveEnded!: (events: SseEvent[]) => void;
  const ended = new Promise<SseEvent[]>((resolve) => (resolveEnded = resolve));

  /** The next event of the stream, or undefined at its end. */
  async function readEvent(): Promise<SseEvent | undefined> {
    for (;;) {
      const at = buffer.indexOf('\n\n');
      if (at >= 0) {
        const frame = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        const lines = frame.split('\n');
        const event = lines.find((l) => l.startsWith('event:'))?.slice(6).trim();
        const data = lines.find((l) => l.startsWith('data:'))?.slice(5).trim();
        if (!event) continue; // a keep-alive comment
        const parsed = { event, data: data ? JSON.parse(data) : undefined };
        seen.push(parsed);
        return parsed;
      }
      if (finished) return undefined;
      const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (chunk.done) {
        finished = true;
        resolveEnded(seen);
      } else buffer += chunk.value;
    }
  }

  return {
    status: res.status,
    /** The next result (`data`/`errors`), or undefined when the stream ended. */
    async next(): Promise<any> {
      for (;;) {
        const event = await readEvent();
        if (!event) return undefined;
        if (event.event === 'next') return event.data;
      }
    },
    /** Reads to the end of the response; resolves with every event seen. */
    async rest(): Promise<SseEvent[]> {
      while (await readEvent());
      return ended;
    },
    abort: () => controller.abort(),
  };
}
