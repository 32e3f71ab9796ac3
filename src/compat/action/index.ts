import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse, type ExecutionResult } from 'graphql';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { CLOSE_SERVER_BUSY, CLOSE_TOO_MANY_CONNECTIONS, type LiveAdmission } from '../../realtime/admission.js';
import type { Context } from '../../context.js';
import type { Credentials } from '../../domain/accounts/tokens.js';
import type { Deps } from '../../domain/deps.js';
import { DomainError, ERROR_CODES, type ErrorCode } from '../../domain/errors.js';
import type { UrlBuilder } from '../../files/urls.js';
import { inspectInput } from '../../graphql/input-gate.js';
import { isGraphQLError, type Yoga } from '../../graphql/yoga.js';
import type { Logger } from '../../logger.js';
import { openLiveSession, type LiveSession } from '../../realtime/session.js';
import { decodeCursor } from '../../domain/messages/stream.js';
import { createAppSecretAuth } from '../shared/app-secret.js';
import { BadRequestError, readParams } from '../shared/params.js';
import { CompatFailure, badRequest, createRunner, retryAfterHeader, sendJson } from '../shared/run.js';
import { actions, codeParam, messageData, unknownAction, usersOf, type ActionContext } from './actions.js';
import { AUTH_FAILED, BAD_REQUEST, CONFLICT, NOT_LOGGED_IN, SESSION_ENDED, ok, refused, replyOf, statusOf, type Reply } from './codes.js';

type Json = Record<string, any>;

export const ACTION_PATH = '/action';
export const ACTION_WS_PATH = '/action/ws';
/** What a socket that has not logged in within ACTION_LOGIN_TIMEOUT_MS is closed with. */
export const CLOSE_LOGIN_REQUIRED = 4401;

const EVENTS = parse(`subscription Events($since: String) {
  events(since: $since) {
    __typename cursor
    ... on MessageEvent { message { id seq contentType content createdAt from { id username nickName } to { kind id } } }
    ... on TokenRevokedEvent { reason }
  }
}`);

/**
 * The JSON action protocol (seed 000): `{action, param}` frames answered by `{action, code,
 * message, data}`. Over a WebSocket at /action/ws a client logs in first (the app id and secret,
 * its user code and platform) and then acts as that user; the user's messages are pushed on the
 * same socket, resumable exactly once from the last pushed `cursor`. Over `POST /action` each
 * request carries the login fields and runs one action. Actions run GraphQL documents as the
 * user, with the app's admin token (docs/compat-action.md).
 */
export function createActionCompat(yoga: Yoga, deps: Deps, logger: Logger, urls: (req: IncomingMessage) => UrlBuilder, admission: LiveAdmission) {
  const run = createRunner(yoga, urls);
  const mint = createAppSecretAuth(run);

  /** The app's credentials and the user a login names (created on first sight). */
  async function login(req: IncomingMessage, param: Json): Promise<ActionContext> {
    const appId = param['appId'];
    const secret = param['appSecretKey'];
    if (typeof appId !== 'string' && typeof appId !== 'number') throw badRequest('appId is required');
    if (typeof secret !== 'string' || secret === '') throw badRequest('appSecretKey is required');
    const platformId = param['platformId'];
    if (platformId !== undefined && typeof platformId !== 'string' && typeof platformId !== 'number') throw badRequest('platformId must be a string');
    const code = codeParam(param['username'], 'username');
    const app = await mint(req, String(appId), secret);
    if ('kind' in app) throw new CompatFailure(app);
    const ctx: ActionContext = { req, run, app };
    const nickName = typeof param['nickName'] === 'string' && param['nickName'] ? param['nickName'].slice(0, 64) : undefined;
    const [user] = await usersOf(ctx, [{ code, nickName }], true);
    ctx.user = { id: user!.id, code };
    return ctx;
  }

  /** Runs one action frame: the protocol's reply, whatever happens. */
  async function perform(ctx: ActionContext, frame: Json): Promise<Reply> {
    const action = actions[frame['action']];
    if (!action || !Object.hasOwn(actions, frame['action'])) return unknownAction(frame['action']);
    return action(ctx, paramOf(frame), frame);
  }

  /** Turns what an action threw into its reply; only our own bugs are logged. */
  function failed(error: unknown, action: unknown): Reply {
    if (error instanceof CompatFailure) {
      if (error.failure.kind === 'internal') logger.error({ dialect: 'action', action: String(action) }, 'action failed');
      return replyOf(error.failure);
    }
    if (error instanceof BadRequestError) return refused(BAD_REQUEST, error.message);
    if (error instanceof DomainError) return replyOf({ kind: 'domain', code: error.code, message: error.message });
    logger.error({ err: error, dialect: 'action', action: String(action) }, 'action failed');
    return refused(1500, 'internal server error');
  }

  /** `POST /action`: one frame, with the login fields in its `param`. */
  async function handle(req: IncomingMessage, res: ServerResponse, url: URL, matched?: (dialect: string, route: string) => void): Promise<boolean> {
    if (url.pathname !== ACTION_PATH) return false;
    matched?.('action', ACTION_PATH);
    if (req.method !== 'POST') {
      sendJson(res, 405, refused(BAD_REQUEST, `${req.method} is not served on ${ACTION_PATH}: POST a frame`), { allow: 'POST' });
      return true;
    }
    let frame: Json = {};
    let reply: Reply;
    let headers: Record<string, string> = {};
    try {
      const { body } = await readParams(req, url);
      frame = frameOf(body);
      const ctx = await login(req, paramOf(frame));
      reply = frame['action'] === 'login' ? ok([{ clientId: ctx.user!.id }]) : await perform(ctx, frame);
    } catch (error) {
      if (error instanceof CompatFailure) headers = retryAfterHeader(error.failure);
      reply = failed(error, frame['action']);
    }
    sendJson(res, statusOf(reply.code), envelope(frame, reply), headers);
    return true;
  }

  // The WebSocket side: one session per socket.
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.config.wsMaxPayloadBytes });
  wss.on('connection', (socket: WebSocket, req: IncomingMessage) => {
    socket.on('error', (error) => logger.debug({ err: error }, 'action socket client error'));
    // Counted with graphql-ws sockets and SSE streams (MAX_LIVE_CONNECTIONS…), from the upgrade on.
    const opened = admission.open();
    if (!opened) return socket.close(CLOSE_SERVER_BUSY, 'Try Again Later: the server has too many connections');
    const ticket = opened;
    socket.once('close', () => ticket.release());
    const send = (message: Json) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    const closed = new AbortController();
    let ctx: ActionContext | undefined;
    let session: LiveSession | undefined;
    const loginTimer = setTimeout(() => socket.close(CLOSE_LOGIN_REQUIRED, 'login required'), deps.config.actionLoginTimeoutMs);
    socket.once('close', () => {
      clearTimeout(loginTimer);
      closed.abort();
      session?.close();
    });

    // Frames are answered one at a time, in order.
    let queue = Promise.resolve();
    socket.on('message', (data: RawData, isBinary: boolean) => {
      queue = queue.then(() => onFrame(data, isBinary)).catch((error: unknown) => logger.error({ err: error }, 'action frame failed'));
    });

    async function onFrame(data: RawData, isBinary: boolean) {
      let frame: Json = {};
      try {
        if (isBinary) throw badRequest('frames are JSON text');
        frame = frameOf(parseJson(data.toString()));
        if (frame['action'] !== 'login') {
          if (!ctx) return send(envelope(frame, refused(NOT_LOGGED_IN, 'log in first: {"action":"login","param":{appId, appSecretKey, username, platformId}}')));
          return send(envelope(frame, await perform(ctx, frame)));
        }
        if (ctx) return send(envelope(frame, refused(CONFLICT, 'this socket is logged in already')));
        const param = paramOf(frame);
        const since = param['since'];
        if (since !== undefined && typeof since !== 'string') throw badRequest('since must be a cursor string');
        if (since !== undefined) decodeCursor(since);
        const candidate = await login(req, param);
        const credentials: Credentials = { ...candidate.app, actAsUserId: candidate.user!.id };
        try {
          session = await openLiveSession(deps, credentials);
        } catch (error) {
          if (error instanceof DomainError) return send(envelope(frame, replyOf({ kind: 'domain', code: error.code, message: error.message })));
          throw error;
        }
        if (socket.readyState !== socket.OPEN) return session.close();
        let stream: AsyncIterable<ExecutionResult<Json>>;
        try {
          stream = await openStream(credentials, session, since);
        } catch (error) {
          session.close();
          throw error;
        }
        // (A refused stream claimed nothing, so the socket may log in again.) The session acts as its user through the app: it is that user's connection.
        if (session.viewer.kind === 'user' && !ticket.claim({ ...session.viewer, viaAdmin: false })) {
          session.close();
          return socket.close(CLOSE_TOO_MANY_CONNECTIONS, `Too many connections: at most ${deps.config.live.maxConnectionsPerUser} per user`);
        }
        ctx = candidate;
        clearTimeout(loginTimer);
        session.onEnd((reason) =>
          setImmediate(() => {
            send({ action: 'logout', code: SESSION_ENDED, message: `the session ended: ${reason}` });
            socket.close(4403, `Forbidden: ${reason}`);
          }),
        );
        send(envelope(frame, ok([{ clientId: ctx.user!.id }])));
        pump(stream).catch((error: unknown) => {
          // A stream that cannot go on (a cursor too old to replay, say) is the client's to handle.
          const reply = failed(failureOf(error), 'message');
          send({ action: 'logout', ...reply });
          socket.close(reply.code === 1500 ? 1011 : 4400, 'stream ended');
        });
      } catch (error) {
        send(envelope(frame, failed(error, frame['action'])));
      }
    }

    /**
     * The user's messages, replayed after `since` and then live (`ready` marks the switch). A
     * refused stream (a `since` this server never gave, one too old to replay) fails the login.
     */
    async function openStream(credentials: Credentials, live: LiveSession, since: string | undefined) {
      const enveloped = yoga.getEnveloped({ transport: 'ws', credentials, viewer: live.viewer, liveUntil: closed.signal, req, urls: urls(req) });
      const contextValue = (await enveloped.contextFactory()) as Context;
      let result: Awaited<ReturnType<typeof enveloped.subscribe>>;
      try {
        result = await enveloped.subscribe({ schema: enveloped.schema, document: EVENTS, variableValues: { since }, contextValue });
      } catch (error) {
        throw failureOf(error);
      }
      if (!(Symbol.asyncIterator in (result as object))) throw failureOf((result as ExecutionResult).errors?.[0]);
      return result as AsyncIterable<ExecutionResult<Json>>;
    }

    async function pump(result: AsyncIterable<ExecutionResult<Json>>) {
      for await (const item of result as AsyncIterable<ExecutionResult<Json>>) {
        const event = item.data?.['events'];
        if (item.errors?.length || !event) throw item.errors?.[0] ?? new Error('an event without data');
        if (event.__typename === 'MessageEvent') {
          send({ action: 'message', content: event.message.content, data: { ...messageData(event.message), cursor: event.cursor } });
        } else if (event.__typename === 'StreamReadyEvent') {
          send({ action: 'ready', data: { cursor: event.cursor } });
        } else if (event.__typename === 'TokenRevokedEvent' && event.reason === 'ACCOUNT_DISABLED') {
          // The session stands on the app's secret, not on the user's tokens: only this ends it.
          send({ action: 'logout', code: SESSION_ENDED, message: 'the session ended: ACCOUNT_DISABLED' });
          socket.close(4403, 'Forbidden: ACCOUNT_DISABLED');
          return;
        }
      }
    }
  });

  /** Ends every session (server stopping): clients reconnect elsewhere and resume. */
  const dispose = () => {
    for (const socket of wss.clients) socket.close(1001, 'server stopping');
  };

  return { handle, wss, dispose };
}

/** A stream's refusal as the login's failure: its typed error, or an internal one. */
function failureOf(error: unknown): unknown {
  const code = isGraphQLError(error) ? error.extensions['code'] : undefined;
  if (typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code)) {
    return new CompatFailure({ kind: 'domain', code: code as ErrorCode, message: (error as Error).message });
  }
  return error ?? new Error('the event stream could not start');
}

/** What a client sent, as a frame: a JSON object with a string `action`. */
function frameOf(body: unknown): Json {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('a frame is a JSON object {action, param}');
  const refusedInput = inspectInput(body, '');
  if (refusedInput) throw badRequest(refusedInput.message);
  const frame = body as Json;
  if (typeof frame['action'] !== 'string' || frame['action'] === '') throw badRequest('action must be a non-empty string');
  if (frame['param'] !== undefined && (typeof frame['param'] !== 'object' || frame['param'] === null || Array.isArray(frame['param']))) {
    throw badRequest('param must be an object');
  }
  if (frame['id'] !== undefined && typeof frame['id'] !== 'string' && typeof frame['id'] !== 'number') throw badRequest('id must be a string or a number');
  return frame;
}

const paramOf = (frame: Json): Json => frame['param'] ?? {};

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('the frame is not valid JSON');
  }
}

/** The reply to a frame: its action and id echoed, so answers can be told from pushes. */
const envelope = (frame: Json, reply: Reply) => ({
  action: typeof frame['action'] === 'string' ? frame['action'] : null,
  ...(frame['id'] !== undefined && (typeof frame['id'] === 'string' || typeof frame['id'] === 'number') ? { id: frame['id'] } : {}),
  ...reply,
});

