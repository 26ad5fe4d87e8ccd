import http from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { authorizeJWT, buildJwksUri, INVOKE_RESPONSE_KEY } from '@microsoft/agents-hosting';
import { Activity } from '@microsoft/agents-activity';
import type { Config } from '../services/infrastructure/config.js';
import { withTurnLogFields, type Logger } from '../core/logger.js';
import { measureTurn } from '../core/telemetry.js';
import { checkActivity } from './activityCheck.js';
import { isLoopbackUrl } from './adapter.js';
import { agentsAuthConfig, type AnsvarAgentsAdapter, type Identity } from './agentsAdapter.js';
import {
  healthOf,
  PUBLIC_ERRORS,
  RETRY_AFTER_SECONDS,
  type InFlightTurns,
  type ServerState,
} from './pipeline.js';
import { checkTenant } from './middleware/tenantGuard.js';
import { asSharedTurn } from './turn.js';

/**
 * The second host (ANSVAR_HOST=agents): the Microsoft 365 Agents SDK's CloudAdapter behind an Express 5 app we build
 * ourselves (not the SDK's `startServer`, which owns the port and the route). `POST /api/messages` answers exactly
 * as bot/http.ts does, step for step, with the same fixed bodies:
 *
 *   ready? (503) → JSON only, no content encoding (415), declared size (413) → body read with the cap (413, 400)
 *   → activity shape (400, activityCheck.ts, then the SDK's Activity.fromObject) → local mode: loopback serviceUrl
 *   (403) → authentication (401, 503 if the keys cannot be fetched) → tenant allow-list (403) → the turn (200, or
 *   the invoke response it produced).
 *
 * Authentication is the SDK's `authorizeJWT`, called with a response stand-in so its 401 body (the validator's own
 * text) never reaches the caller, plus what the SDK leaves out and botbuilder checks: the issuer before any key is
 * fetched (so a foreign issuer costs no network call), the `serviceurl` claim against the activity, the signing
 * key's endorsements against the activity's channel, and 503 when the keys cannot be fetched (the SDK answers 401
 * then). The SDK does not restrict the tenant of channel tokens: the tenant guard runs after authentication as on
 * the botbuilder host. With no MicrosoftAppId the SDK would accept anonymous requests, so its middleware is not
 * used at all in local mode: 127.0.0.1 only, and non-loopback service URLs are refused inbound here and outbound by
 * the adapter's URL policy (bot/agentsAdapter.ts).
 *
 * The turn runs the same `Bot` (TeamsBot behind the wrappers from bot/app.ts) with the SDK's turn context
 * (bot/turn.ts). The adapter is shared with the proactive sends (bot/delivery/agentsProactive.ts).
 */

export interface AgentsHostOptions {
  config: Config;
  logger: Logger;
  state: ServerState;
  turns: InFlightTurns;
  /** From createAgentsAdapter (bot/agentsAdapter.ts). */
  adapter: AnsvarAgentsAdapter;
}

/** How long reading a key set may take before the keys count as unavailable (503). */
const KEY_FETCH_TIMEOUT_MS = 5_000;

export function createAgentsHttpServer(options: AgentsHostOptions): http.Server {
  const { config, state, turns, adapter } = options;
  const log = options.logger.child({ component: 'http', host: 'agents' });
  const authConfig = agentsAuthConfig(config);
  const jwt = config.localMode ? undefined : authorizeJWT(authConfig);
  const endorsements = new KeyEndorsements();
  const acceptedIssuers = authConfig.issuers ?? [];

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const refuse = (res: Response, status: number, reason: string, extra: Record<string, unknown> = {}) => {
    log.info({ status, reason, ...extra }, 'request refused');
    sendError(res, status);
  };

  function requireReady(_req: Request, res: Response, next: NextFunction) {
    if (state.phase !== 'ready' || state.bot === undefined) return refuse(res, 503, `app is ${state.phase}`);
    next();
  }

  function requireJsonBody(req: Request, res: Response, next: NextFunction) {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') return refuse(res, 415, 'content type is not application/json');
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity')
      return refuse(res, 415, 'content encoding not accepted');
    const declared = Number(req.headers['content-length'] ?? '0');
    if (Number.isFinite(declared) && declared > config.maxBodyBytes) {
      res.setHeader('connection', 'close');
      return refuse(res, 413, 'declared body too large', { declared });
    }
    next();
  }

  const parseJson = express.json({
    limit: config.maxBodyBytes,
    inflate: false,
    strict: false,
    type: () => true,
  });

  async function handleActivity(req: Request, res: Response) {
    const checked = checkActivity(req.body);
    if (!checked.ok) {
      log.warn(
        { status: 400, reason: 'not a well-formed activity', problems: checked.problems },
        'request refused',
      );
      return sendError(res, 400);
    }
    let activity: Activity;
    try {
      activity = Activity.fromObject(checked.activity as unknown as Record<string, unknown>);
    } catch (error) {
      log.warn({ status: 400, reason: 'not an activity the SDK accepts', err: error }, 'request refused');
      return sendError(res, 400);
    }
    if (config.localMode && !isLoopbackUrl(activity.serviceUrl ?? ''))
      return refuse(res, 403, 'local mode: serviceUrl is not loopback');

    let identity: Identity;
    if (jwt === undefined) identity = { name: 'anonymous' };
    else {
      const outcome = await authenticate(req, activity);
      if (outcome.status === 503) {
        log.error({ reason: outcome.reason }, 'cannot authenticate: OpenID metadata or keys unavailable');
        res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
        return sendError(res, 503);
      }
      if (outcome.status !== 200)
        return refuse(res, 401, 'authentication failed', { detail: outcome.reason });
      identity = outcome.identity;
    }

    // The activity's fields as botbuilder types them (the shared tenant guard and dispatch read the same fields).
    const decision = checkTenant(
      activity as unknown as Parameters<typeof checkTenant>[0],
      config.allowedTenantIds,
    );
    if (!decision.allowed) return refuse(res, 403, decision.reason, { tenantId: decision.tenantId });

    const bot = state.bot;
    if (bot === undefined) return refuse(res, 503, 'not ready');
    const ids = { activityId: activity.id, conversationId: activity.conversation?.id };
    const turn = withTurnLogFields(ids, () =>
      measureTurn(activity.type, ids, () =>
        adapter.runTurn(identity, activity, (context) => bot.run(asSharedTurn(context, INVOKE_RESPONSE_KEY))),
      ),
    );
    try {
      const invokeResponse = await turns.track(turn);
      if (invokeResponse === undefined) res.status(200).end();
      else if (invokeResponse.body === undefined) res.status(invokeResponse.status).end();
      else res.status(invokeResponse.status).json(invokeResponse.body);
    } catch (error) {
      // Written after the turn's context has ended, so the ids are given here.
      log.error({ err: error, activityType: activity.type, ...ids }, 'turn could not run');
      sendError(res, 500);
    }
  }

  type AuthOutcome = { status: 200; identity: Identity } | { status: 401 | 503; reason: string };

  async function authenticate(req: Request, activity: Activity): Promise<AuthOutcome> {
    const token = bearerToken(req.headers.authorization);
    if (token === undefined) return { status: 401, reason: 'no bearer token' };
    const claims = decodeClaims(token);
    if (claims === undefined) return { status: 401, reason: 'not a JWT' };
    // The issuer first: a token from an issuer we do not accept must not make us fetch anybody's keys.
    if (typeof claims.iss !== 'string' || !acceptedIssuers.includes(claims.iss))
      return { status: 401, reason: 'issuer not accepted' };
    const jwksUri = buildJwksUri(claims.iss, authConfig);
    const refusal = await runJwt(req);
    if (refusal !== undefined) {
      return (await endorsements.reachable(jwksUri))
        ? { status: 401, reason: refusal }
        : { status: 503, reason: 'keys unavailable' };
    }
    const identity = (req as Request & { user?: Record<string, unknown> }).user;
    if (identity === undefined) return { status: 401, reason: 'no identity' };
    // botbuilder checks the serviceurl claim against the activity; the SDK only compares hosts, and not by default.
    if (identity.serviceurl !== activity.serviceUrl)
      return { status: 401, reason: 'serviceurl claim differs' };
    // botbuilder also requires a key that lists endorsements to list the activity's channel; the SDK does not look.
    let endorsed: readonly string[] | undefined;
    try {
      endorsed = await endorsements.of(jwksUri, decodeHeader(token)?.kid);
    } catch {
      return { status: 503, reason: 'keys unavailable' };
    }
    if (endorsed !== undefined && !endorsed.includes(activity.channelId ?? ''))
      return { status: 401, reason: 'key not endorsed for the channel' };
    return { status: 200, identity };
  }

  /** The SDK's middleware with a response stand-in: resolves undefined when it passed, else its (private) text. */
  function runJwt(req: Request): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      const standIn = {
        status: () => standIn,
        send: (body: unknown) => resolve(JSON.stringify(body)),
      };
      jwt!(req as never, standIn as never, () => resolve(undefined)).catch(reject);
    });
  }

  app.post('/api/messages', requireReady, requireJsonBody, parseJson, (req, res, next) => {
    handleActivity(req, res).catch(next);
  });
  app.get('/healthz', (_req, res) => {
    const { status, body } = healthOf(state);
    if (status !== 200) res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
    res.setHeader('cache-control', 'no-store');
    res.status(status).json(body);
  });
  // As restify: a known path with another method is 405, anything else 404.
  app.all(['/api/messages', '/healthz'], (_req, res) => refuse(res, 405, 'method not allowed'));
  app.use((_req: Request, res: Response) => refuse(res, 404, 'no such route'));
  app.use(
    (
      error: Error & { status?: number; type?: string },
      _req: Request,
      res: Response,
      _next: NextFunction,
    ) => {
      const status = typeof error.status === 'number' && PUBLIC_ERRORS[error.status] ? error.status : 500;
      if (status >= 500) log.error({ err: error }, 'request failed');
      else log.info({ status, reason: error.type ?? error.name }, 'request refused');
      if (status === 413) res.setHeader('connection', 'close');
      if (!res.headersSent) sendError(res, status);
    },
  );

  const server = http.createServer(app);
  server.requestTimeout = 30_000;
  server.headersTimeout = 20_000;
  return server;
}

function sendError(res: Response, status: number): void {
  res.status(status).json({ error: PUBLIC_ERRORS[status] ?? PUBLIC_ERRORS[500] });
}

function bearerToken(header: string | undefined): string | undefined {
  const parts = (header ?? '').trim().split(/\s+/);
  return parts.length === 2 && parts[0]!.toLowerCase() === 'bearer' ? parts[1] : undefined;
}

function decodeClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function decodeHeader(token: string): { kid?: unknown } | undefined {
  try {
    const header: unknown = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null ? header : undefined;
  } catch {
    return undefined;
  }
}

/** How long a key set's endorsements are kept; an unknown key id is looked up again at most this often. */
const ENDORSEMENTS_TTL_MS = 60 * 60 * 1000;
const UNKNOWN_KEY_RETRY_MS = 60 * 1000;

/**
 * The endorsements of the keys in a key set (the JWKS the SDK verified the signature with; Bot Framework's keys list
 * the channels each may sign for). The SDK's key client does not expose them, so they are read here, once an hour
 * per key set, and again for a key id not seen yet (at most once a minute).
 */
class KeyEndorsements {
  private readonly sets = new Map<string, { at: number; keys: Map<string, readonly string[] | undefined> }>();

  /** The key's endorsements; undefined when the key lists none (then any channel may use it, as in botbuilder). */
  async of(jwksUri: string, kid: unknown): Promise<readonly string[] | undefined> {
    let set = this.sets.get(jwksUri);
    const age = set === undefined ? Infinity : Date.now() - set.at;
    if (
      age > ENDORSEMENTS_TTL_MS ||
      (typeof kid === 'string' && !set?.keys.has(kid) && age > UNKNOWN_KEY_RETRY_MS)
    )
      set = await this.load(jwksUri);
    return typeof kid === 'string' ? set?.keys.get(kid) : undefined;
  }

  /** Whether the key set answers at all (asked after a refused token, to tell 401 from 503). */
  async reachable(jwksUri: string): Promise<boolean> {
    try {
      await this.load(jwksUri);
      return true;
    } catch {
      return false;
    }
  }

  private async load(jwksUri: string) {
    const res = await fetch(jwksUri, { signal: AbortSignal.timeout(KEY_FETCH_TIMEOUT_MS) });
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`key set answered ${res.status}`);
    }
    const body = (await res.json()) as { keys?: { kid?: unknown; endorsements?: unknown }[] };
    const keys = new Map<string, readonly string[] | undefined>();
    for (const key of body.keys ?? []) {
      if (typeof key.kid !== 'string') continue;
      const listed = Array.isArray(key.endorsements)
        ? key.endorsements.filter((e): e is string => typeof e === 'string')
        : undefined;
      keys.set(key.kid, listed);
    }
    const set = { at: Date.now(), keys };
    this.sets.set(jwksUri, set);
    return set;
  }
}
