import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Span, Tracer } from '@opentelemetry/api';
import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { HttpHandler } from './metrics.js';

/**
 * OpenTelemetry traces, only when OTEL_EXPORTER_OTLP_ENDPOINT is set: a server span per HTTP request
 * (method and route of the route table, never the URL a client sent nor its query string) and a span
 * per GraphQL operation beneath it (type and name; never the document, variables or headers, which
 * may carry passwords and tokens). Spans go out in batches over OTLP/HTTP with JSON bodies.
 *
 * Unset, nothing here costs anything: the OpenTelemetry packages are not even loaded (they are
 * imported on demand), yoga gets no plugin and requests are served as before.
 */
export interface Tracing {
  /** Serves a request inside its server span; `answered` names the handler and route once known. */
  request(req: IncomingMessage, res: ServerResponse, answered: () => { handler: HttpHandler; route: string }, serve: () => Promise<void>): Promise<void>;
  /** The yoga plugin that makes the operation spans. */
  plugin: Plugin;
  /** Sends what is still buffered and stops. */
  close(): Promise<void>;
}

export async function openTracing(config: Config, logger: Logger): Promise<Tracing | undefined> {
  const settings = config.tracing;
  if (!settings) return undefined;
  const [api, { AsyncLocalStorageContextManager }, { BasicTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] =
    await Promise.all([
      import('@opentelemetry/api'),
      import('@opentelemetry/context-async-hooks'),
      import('@opentelemetry/sdk-trace-base'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
    ]);
  // Context follows async work (the operation span finds the request span as its parent). Set once
  // per process; a second server in the same process (tests) finds it set and keeps it.
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const exporter = new OTLPTraceExporter({ url: settings.tracesUrl, headers: settings.headers });
  // The provider is this server's own, not the global one: several servers in one process keep apart.
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('im-server');
  logger.info({ endpoint: new URL(settings.tracesUrl).origin }, 'sending traces');

  return {
    async request(req, res, answered, serve) {
      const method = req.method ?? 'OTHER';
      const span = tracer.startSpan(`${method}`, { kind: api.SpanKind.SERVER, attributes: { 'http.request.method': method } });
      res.once('close', () => {
        const { handler, route } = answered();
        span.updateName(route ? `${method} ${route}` : method);
        span.setAttributes({ 'http.route': route, 'im.handler': handler, 'http.response.status_code': res.statusCode });
        if (res.statusCode >= 500) span.setStatus({ code: api.SpanStatusCode.ERROR });
        span.end();
      });
      return api.context.with(api.trace.setSpan(api.context.active(), span), serve);
    },
    plugin: operationSpans(tracer, api),
    close: () => provider.shutdown(),
  };
}

type Api = typeof import('@opentelemetry/api');

/** A span per operation executed or subscribed to, named `<type> <name>` as OpenTelemetry's GraphQL conventions say. */
function operationSpans(tracer: Tracer, api: Api): Plugin {
  const start = (document: DocumentNode, operationName: string | null | undefined): Span => {
    const operation = getOperationAST(document, operationName);
    const type = operation?.operation ?? 'unknown';
    const name = operation?.name?.value;
    const attributes: Record<string, string> = { 'graphql.operation.type': type };
    if (name) attributes['graphql.operation.name'] = name;
    return tracer.startSpan(name ? `${type} ${name}` : type, { attributes });
  };
  /** Errors by code only: their messages may quote what the client sent. */
  const finish = (span: Span, result: unknown) => {
    const errors = (result as { errors?: readonly { extensions?: Record<string, unknown> }[] } | undefined)?.errors;
    if (errors?.length) {
      const codes = [...new Set(errors.map((error) => String(error.extensions?.['code'] ?? 'INTERNAL_SERVER_ERROR')))];
      span.setAttribute('graphql.error.codes', codes);
      span.setStatus({ code: api.SpanStatusCode.ERROR });
    }
    span.end();
  };
  return {
    onExecute({ args }) {
      const span = start(args.document, args.operationName);
      return {
        onExecuteDone({ result }) {
          // A deferred/streamed result ends with its first part: what the client waited for.
          finish(span, Symbol.asyncIterator in (result as object) ? undefined : result);
        },
      };
    },
    onSubscribe({ args }) {
      // The span covers starting the subscription, not its life (which may be hours).
      const span = start(args.document, args.operationName);
      return {
        onSubscribeResult({ result }) {
          finish(span, Symbol.asyncIterator in (result as object) ? undefined : result);
        },
        onSubscribeError() {
          span.setStatus({ code: api.SpanStatusCode.ERROR });
          span.end();
        },
      };
    },
  };
}
