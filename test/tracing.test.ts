import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { openTracing } from '../src/tracing.js';
import { PASSWORD, TestServer } from './helpers/server.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: Record<string, unknown> }[];
}

/** A stand-in OpenTelemetry collector: OTLP/HTTP with JSON bodies, as the server sends them. */
async function startReceiver() {
  const bodies: string[] = [];
  const contentTypes: string[] = [];
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      paths.push(req.url ?? '');
      contentTypes.push(req.headers['content-type'] ?? '');
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const spans = (): OtlpSpan[] =>
    bodies.flatMap((body) =>
      (JSON.parse(body).resourceSpans ?? []).flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans as OtlpSpan[])),
    );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies, contentTypes, paths, spans, close: () => new Promise((r) => server.close(r)) };
}

const attr = (span: OtlpSpan, key: string) => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value ? Object.values(value)[0] : undefined;
};

describe('OpenTelemetry traces', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let server: TestServer;
  let token: string;
  const secretBody = 'the body nobody may read 7f3c1';

  beforeAll(async () => {
    receiver = await startReceiver();
    server = await TestServer.start({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'im-test' } });
    const alice = await server.user('alice');
    const bob = await server.user('bob');
    token = alice.token;
    // A named mutation whose variables carry a password, and one whose variables carry a message.
    const login = await server.gql(
      `mutation LogIn($appId: ID!, $input: CreateAccessTokenInput!) { createAccessToken(appId: $appId, input: $input) { __typename } }`,
      { appId: server.appId, input: { username: 'alice', password: PASSWORD } },
    );
    expect(login.data?.createAccessToken.__typename).toBe('CreateAccessTokenPayload');
    const sent = await server.gql(
      `mutation SendHello($to: ID!, $text: String!) { sendMessage(input: { toKind: USER, targets: [$to], contentType: TEXT, content: $text }) { __typename } }`,
      { to: bob.id, text: secretBody },
      { token },
    );
    expect(sent.data?.sendMessage.__typename).toBe('SendMessagePayload');
    // A failing one: a bad token, answered with an error code.
    await server.gql(`query WhoAmI { viewer { id } }`, {}, { token: 'not-a-token' });
    // Closing flushes the spans still buffered.
    await server.close();
  });

  afterAll(async () => {
    await receiver?.close();
  });

  it('posts spans as OTLP/HTTP JSON to <endpoint>/v1/traces with the service name', () => {
    expect(receiver.bodies.length).toBeGreaterThan(0);
    expect(new Set(receiver.paths)).toEqual(new Set(['/v1/traces']));
    expect(receiver.contentTypes.every((t) => t.startsWith('application/json'))).toBe(true);
    const resource = JSON.parse(receiver.bodies[0]!).resourceSpans[0].resource;
    expect(resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'im-test' } });
  });

  it('has a span per operation, named by type and name, under the request span', () => {
    const spans = receiver.spans();
    const send = spans.find((s) => s.name === 'mutation SendHello');
    expect(send).toBeDefined();
    expect(attr(send!, 'graphql.operation.name')).toBe('SendHello');
    expect(attr(send!, 'graphql.operation.type')).toBe('mutation');
    const parent = spans.find((s) => s.spanId === send!.parentSpanId);
    expect(parent?.name).toBe('POST /graphql');
    expect(parent?.traceId).toBe(send!.traceId);
    expect(attr(parent!, 'http.response.status_code')).toBe(200);
    expect(spans.find((s) => s.name === 'mutation LogIn')).toBeDefined();
  });

  it('marks a failed operation with its error code', () => {
    const failed = receiver.spans().find((s) => s.name === 'query WhoAmI');
    expect(failed).toBeDefined();
    expect(JSON.stringify(failed)).toContain('TOKEN_INVALID');
  });

  it('carries no variables, documents, passwords or tokens', () => {
    const all = receiver.bodies.join('\n');
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain(secretBody);
    expect(all).not.toContain(token);
    expect(all).not.toContain('not-a-token');
    expect(all).not.toContain('createAccessToken(');
  });

  it('is off, loading nothing, when no endpoint is set', async () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    expect(config.tracing).toBeUndefined();
    expect(await openTracing(config, createLogger('silent'))).toBeUndefined();
  });

  it('refuses an endpoint that is not an http(s) URL', () => {
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});
