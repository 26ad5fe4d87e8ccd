import restify, { type Next, type Request, type Response, type Server, type ServerOptions } from 'restify';
import type { Activity } from 'botbuilder';
import type { AuthenticateRequestResult } from 'botframework-connector';
import type { Config } from '../services/infrastructure/config.js';
import { withTurnLogFields, type Logger } from '../core/logger.js';
import { measureTurn } from '../core/telemetry.js';
import { checkActivity } from './activityCheck.js';
import { isAuthUnavailable, isLoopbackUrl, type AnsvarAdapter } from './adapter.js';
import { checkTenant } from './middleware/tenantGuard.js';
import {
  healthOf,
  PUBLIC_ERRORS,
  RETRY_AFTER_SECONDS,
  type InFlightTurns,
  type ServerState,
} from './pipeline.js';

/**
 * The HTTP face of the bot (restify 11). `POST /api/messages` runs this chain; each step either passes the request
 * on or answers it, and nothing reaches the bot unless every step passed:
 *
 *   ready? (503) → JSON only, no content encoding (415), declared size (413) → body read with the cap (413) →
 *   restify's JSON parser (400)
 *   → activity shape, per type (400, activityCheck.ts) → local mode: loopback serviceUrl (403) → authentication (401, 503 if the keys cannot be
 *   loaded) → tenant allow-list (403) → the turn (200, or the invoke response the turn produced).
 *
 * Every error body is one of the fixed texts in `PUBLIC_ERRORS`: no library or internal message reaches a caller.
 * `GET /healthz` answers 200 `{status:'ready'}` only while the app is ready and its data can be written, else 503
 * with the reason: `{status:'starting'|'stopping'}`, or `{status:'storage', reason:'ENOSPC', since}` while data
 * files cannot be written (questions are still answered then; changes are refused with a plain message).
 */

export interface HttpServerOptions {
  config: Config;
  adapter: AnsvarAdapter;
  logger: Logger;
  state: ServerState;
  turns: InFlightTurns;
}
interface Inbound {
  activity: Activity;
  auth?: AuthenticateRequestResult;
}

export function createHttpServer(options: HttpServerOptions): Server {
  const { config, adapter, state, turns } = options;
  const log = options.logger.child({ component: 'http' });
  const inbound = new WeakMap<Request, Inbound>();

  const server = restify.createServer({
    name: 'ansvar',
    // restify 11 logs through pino; its types still name bunyan.
    log: log as unknown as ServerOptions['log'],
    handleUncaughtExceptions: false,
  });
  // Slow senders may not hold a connection open: the whole request (headers and body) within 30 s.
  server.server.requestTimeout = 30_000;
  server.server.headersTimeout = 20_000;

  function refuse(
    res: Response,
    next: Next,
    status: number,
    reason: string,
    extra: Record<string, unknown> = {},
  ) {
    log.info({ status, reason, ...extra }, 'request refused');
    sendError(res, status);
    next(false);
  }

  function requireReady(_req: Request, res: Response, next: Next) {
    if (state.phase !== 'ready' || state.bot === undefined)
      return refuse(res, next, 503, `app is ${state.phase}`);
    next();
  }

  function requireJsonBody(req: Request, res: Response, next: Next) {
    if (req.getContentType() !== 'application/json')
      return refuse(res, next, 415, 'content type is not application/json');
    // restify would gunzip the body and count only the compressed bytes against the cap; the channel never compresses.
    const encoding = req.header('content-encoding');
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity')
      return refuse(res, next, 415, 'content encoding not accepted');
    const declared = Number(req.header('content-length') ?? '0');
    if (Number.isFinite(declared) && declared > config.maxBodyBytes) {
      res.header('connection', 'close');
      return refuse(res, next, 413, 'declared body too large', { declared });
    }
    next();
  }

  function parseActivity(req: Request, res: Response, next: Next) {
    const checked = checkActivity(req.body);
    if (!checked.ok) {
      // A warning, not an error: a client's mistake must not page an operator.
      log.warn(
        { status: 400, reason: 'not a well-formed activity', problems: checked.problems },
        'request refused',
      );
      sendError(res, 400);
      return next(false);
    }
    inbound.set(req, { activity: fixDates(checked.activity as unknown as Activity) });
    next();
  }

  function requireLoopbackServiceUrl(req: Request, res: Response, next: Next) {
    const { activity } = inbound.get(req)!;
    if (!isLoopbackUrl(activity.serviceUrl))
      return refuse(res, next, 403, 'local mode: serviceUrl is not loopback');
    next();
  }

  function authenticate(req: Request, res: Response, next: Next) {
    const turn = inbound.get(req)!;
    const header = req.header('authorization') ?? '';
    adapter.authenticate(turn.activity, header).then(
      (auth) => {
        turn.auth = auth;
        next();
      },
      (error: unknown) => {
        if (isAuthUnavailable(error)) {
          log.error({ err: error }, 'cannot authenticate: OpenID metadata or keys unavailable');
          res.header('retry-after', String(RETRY_AFTER_SECONDS));
          sendError(res, 503);
          return next(false);
        }
        refuse(res, next, 401, 'authentication failed', {
          detail: error instanceof Error ? error.message : String(error),
        });
      },
    );
  }

  function guardTenant(req: Request, res: Response, next: Next) {
    const decision = checkTenant(inbound.get(req)!.activity, config.allowedTenantIds);
    if (!decision.allowed) return refuse(res, next, 403, decision.reason, { tenantId: decision.tenantId });
    next();
  }

  function runTurn(req: Request, res: Response, next: Next) {
    const { activity, auth } = inbound.get(req)!;
    const bot = state.bot;
    if (auth === undefined || bot === undefined) return refuse(res, next, 503, 'not ready');
    // Every log line of the turn, wherever it is written, carries these ids (core/logger.ts).
    const ids = { activityId: activity.id, conversationId: activity.conversation?.id };
    const turn = withTurnLogFields(ids, () =>
      measureTurn(activity.type, ids, () => adapter.runTurn(auth, activity, (context) => bot.run(context))),
    );
    turns.track(turn).then(
      (invokeResponse) => {
        if (invokeResponse === undefined) res.send(200);
        else if (invokeResponse.body === undefined) res.send(invokeResponse.status);
        else {
          res.header('content-type', 'application/json');
          res.send(invokeResponse.status, invokeResponse.body);
        }
        next(false);
      },
      (error: unknown) => {
        // Written after the turn's context has ended, so the ids are given here.
        log.error({ err: error, activityType: activity.type, ...ids }, 'turn could not run');
        sendError(res, 500);
        next(false);
      },
    );
  }

  /**
   * Reads the body as text with the size cap (413 once it is all read, as restify's bodyReader does), for restify's
   * JSON parser after it. restify's own bodyReader is not used: it calls the deprecated `new Buffer(0)` on every
   * request, and Node checks each such call for whether it comes from node_modules by capturing a stack trace
   * (DEP0005; the first 10,000 calls of a process), about 1% of an echo turn's CPU. The content type and encoding
   * were checked by requireJsonBody, so there is nothing to decompress. An over-cap body is read to its end but not
   * kept, as express's body-parser does on the Agents host: answering while the caller still sends would close the
   * socket on unread data, and the reset can reach the caller before the 413 does. The server's requestTimeout (30 s)
   * bounds a caller that never finishes.
   */
  function readBody(req: Request, res: Response, next: Next) {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      action();
    };
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received <= config.maxBodyBytes) chunks.push(chunk);
    });
    req.once('end', () =>
      settle(() => {
        if (received > config.maxBodyBytes) {
          res.header('connection', 'close');
          return refuse(res, next, 413, 'body too large', { received });
        }
        if (received > 0) req.body = Buffer.concat(chunks, received).toString('utf8');
        next();
      }),
    );
    // The caller went away mid-body: there is nobody to answer.
    const gone = () => settle(() => next(false));
    req.once('error', gone);
    req.once('close', () => {
      if (!req.complete) gone();
    });
    req.resume();
  }

  // restify's JSON parser alone (the last handler of jsonBodyParser; the first is its bodyReader, see readBody).
  const jsonBodyParser = restify.plugins.jsonBodyParser();
  const parseJson = jsonBodyParser[jsonBodyParser.length - 1]!;

  const pipeline = [
    requireReady,
    requireJsonBody,
    readBody,
    parseJson,
    parseActivity,
    ...(config.localMode ? [requireLoopbackServiceUrl] : []),
    authenticate,
    guardTenant,
    runTurn,
  ];
  server.post('/api/messages', ...pipeline);

  server.get('/healthz', (_req: Request, res: Response, next: Next) => {
    const { status, body } = healthOf(state);
    if (status !== 200) res.header('retry-after', String(RETRY_AFTER_SECONDS));
    res.header('cache-control', 'no-store');
    res.send(status, body);
    next(false);
  });

  // Errors raised by restify itself (404, 405, 413 and invalid JSON from the body parser) get the same fixed bodies.
  server.on(
    'restifyError',
    (_req: Request, res: Response, error: Error & { statusCode?: number }, callback: () => void) => {
      const status =
        typeof error.statusCode === 'number' && PUBLIC_ERRORS[error.statusCode] ? error.statusCode : 500;
      if (status >= 500) log.error({ err: error }, 'request failed');
      else log.info({ status, reason: error.name }, 'request refused');
      if (status === 413) res.header('connection', 'close');
      if (!res.headersSent) sendError(res, status);
      callback();
    },
  );

  return server;
}

function sendError(res: Response, status: number): void {
  res.header('content-type', 'application/json');
  res.send(status, { error: PUBLIC_ERRORS[status] ?? PUBLIC_ERRORS[500] });
}

/** What botbuilder's own HTTP path does before a turn: timestamps as Dates, the raw strings kept. */
function fixDates(activity: Activity): Activity {
  const record = activity as unknown as Record<string, unknown>;
  for (const [field, raw] of [
    ['timestamp', 'rawTimestamp'],
    ['localTimestamp', 'rawLocalTimestamp'],
    ['expiration', 'rawExpiration'],
  ] as const) {
    const value = record[field];
    if (typeof value === 'string') {
      record[raw] = value;
      record[field] = new Date(value);
    }
  }
  return activity;
}
