import { setTimeout as delay } from 'node:timers/promises';
import {
  ActivityTypes,
  BotCallbackHandlerKey,
  Channels,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  DeliveryModes,
  INVOKE_RESPONSE_KEY,
  StatusCodes,
  type Activity,
  type InvokeResponse,
  type ResourceResponse,
  type TurnContext,
} from 'botbuilder';
import {
  AuthenticationError,
  BotFrameworkAuthentication,
  ConnectorFactory,
  JwtTokenValidation,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
  type ConnectorClient,
  type ServiceClientCredentialsFactory,
  type UserTokenClient,
} from 'botframework-connector';
import type { Config } from '../services/infrastructure/config.js';
import { AnsvarError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { postActivity } from './connectorPost.js';
import { turnErrorHandler } from './invokeResponses.js';
import { ReplyContext } from './replyContext.js';

/**
 * The Bot Framework side of the server: CloudAdapter over ConfigurationBotFrameworkAuthentication, with
 * - authentication as a separate step (`authenticate`), so bot/http.ts maps every failure to 401 itself instead of
 *   botbuilder's 500 with its error text, and the tenant guard runs between authentication and the turn;
 * - an outbound guard: in local mode (no MicrosoftAppId, no authentication) a connector can only be created for a
 *   loopback service URL, for replies and proactive messages alike, so an unauthenticated caller cannot make the bot
 *   POST to an address of its choosing;
 * - one connector client per (app id, service URL, audience) and one user token client per app id for the whole
 *   process, instead of botbuilder's new client with its own HTTP pipeline (a dozen policies, a sanitizer, the
 *   environment read for proxy settings) on every turn: that was about a tenth of an echo turn's CPU and most of its
 *   garbage. The clients hold no per-turn state (BotFrameworkAdapter kept the same cache); their credentials fetch and
 *   renew tokens themselves;
 * - `onTurnError` as the last resort: logs, never shows an error text to a user;
 * - the send path (TurnContext's `sendActivity`/`sendActivities` in bot/replyContext.ts, `sendActivities` here, the
 *   connector call in bot/connectorPost.ts) without botbuilder's `__awaiter` generators, so a reply's card is not
 *   kept reachable while the reply is on its way (issue 17); the same requests on the wire.
 * Constructing it makes no network call (OpenID metadata is fetched on the first authenticated request).
 */

export type TurnLogic = (context: TurnContext) => Promise<void>;

export interface AdapterOptions {
  logger: Logger;
  /** Replaces the credentials used for outbound calls (tests: MicrosoftAppCredentials.Empty). */
  credentialsFactory?: ServiceClientCredentialsFactory;
}

export class AnsvarAdapter extends CloudAdapter {
  private readonly auth: BotFrameworkAuthentication;

  constructor(auth: BotFrameworkAuthentication) {
    super(auth);
    this.auth = auth;
  }

  /** Validates the Authorization header against the activity; throws on any failure (see `isAuthUnavailable`). */
  authenticate(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.auth.authenticateRequest(activity, authHeader);
  }

  /**
   * Runs one turn for an already authenticated activity; resolves to the invoke response the turn produced.
   *
   * The steps of botbuilder's `processActivity` (CloudAdapterBase), written as native async functions here and in
   * `runMiddleware`: botbuilder ships compiled to generators driven by `__awaiter`, and a turn run through those was
   * promoted to V8's old generation by the scavenges (about 7 KB per turn more than the same steps as native async
   * functions, scripts/bench/survivors.ts and docs/performance.md), to be freed only by a full collection.
   */
  async runTurn(
    authResult: AuthenticateRequestResult,
    activity: Activity,
    logic: TurnLogic,
  ): Promise<InvokeResponse | undefined> {
    // As botbuilder does, also when there is none (local mode).
    (activity as { callerId?: string }).callerId = authResult.callerId;
    const connectorClient = await authResult.connectorFactory?.create(
      activity.serviceUrl,
      authResult.audience,
    );
    if (!connectorClient) throw new Error('Unable to extract ConnectorClient from turn context.');
    const userTokenClient = await this.auth.createUserTokenClient(authResult.claimsIdentity);
    const context = new ReplyContext(this, activity);
    context.turnState.set(this.BotIdentityKey, authResult.claimsIdentity);
    context.turnState.set(this.ConnectorClientKey, connectorClient);
    context.turnState.set(this.UserTokenClientKey, userTokenClient);
    context.turnState.set(BotCallbackHandlerKey, logic);
    context.turnState.set(this.ConnectorFactoryKey, authResult.connectorFactory);
    context.turnState.set(this.OAuthScopeKey, authResult.audience);
    await this.runMiddleware(context, logic);
    return turnResult(context);
  }

  /** botbuilder's BotAdapter.runMiddleware as a native async function (see `runTurn`). */
  protected override async runMiddleware(
    context: TurnContext,
    next: (revocableContext: TurnContext) => Promise<void>,
  ): Promise<void> {
    if (context.activity?.locale) context.locale = context.activity.locale;
    // The handlers get a proxy that is revoked after the turn, so a late use of the context fails loudly.
    const revocable = Proxy.revocable(context, {});
    try {
      await this.middleware.run(revocable.proxy, () => next(revocable.proxy));
    } catch (error) {
      if (!this.onTurnError) throw error;
      await this.onTurnError(revocable.proxy, error as Error);
    } finally {
      revocable.revoke();
    }
  }

  /**
   * CloudAdapterBase's `sendActivities` (botbuilder 4.23), step for step, without its generator: each activity in
   * turn loses its `id`; a `delay` waits its `value` in ms (default 1 s); an invokeResponse is recorded in turn state;
   * a trace is dropped unless the channel is the emulator; anything else goes to the connector, as a reply when it
   * has `replyToId`, else to the conversation (bot/connectorPost.ts). A call without a response counts as `{id: ''}`.
   * The common case, one activity, runs without any suspended frame holding it.
   */
  override sendActivities(
    context: TurnContext,
    activities: Partial<Activity>[],
  ): Promise<ResourceResponse[]> {
    if (!context) return Promise.reject(new TypeError('`context` parameter required'));
    if (!activities) return Promise.reject(new TypeError('`activities` parameter required'));
    if (!activities.length)
      return Promise.reject(new Error('Expecting one or more activities, but the array was empty.'));
    if (activities.length === 1) return this.sendOne(context, activities[0]!).then((response) => [response]);
    return this.sendInTurn(context, activities);
  }

  private async sendInTurn(
    context: TurnContext,
    activities: Partial<Activity>[],
  ): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) responses.push(await this.sendOne(context, activity));
    return responses;
  }

  private sendOne(context: TurnContext, activity: Partial<Activity>): Promise<ResourceResponse> {
    try {
      delete activity.id;
      if (activity.type === 'delay') {
        return delay(typeof activity.value === 'number' ? activity.value : 1000).then(noResponse);
      }
      if (activity.type === ActivityTypes.InvokeResponse) {
        context.turnState.set(INVOKE_RESPONSE_KEY, activity);
        return Promise.resolve(noResponse());
      }
      if (activity.type === ActivityTypes.Trace && activity.channelId !== Channels.Emulator) {
        return Promise.resolve(noResponse());
      }
      const connectorClient = context.turnState.get<ConnectorClient | undefined>(this.ConnectorClientKey);
      if (!connectorClient) throw new Error('Unable to extract ConnectorClient from turn context.');
      return postActivity(connectorClient, activity as Parameters<typeof postActivity>[1]).then(
        (response) => response ?? noResponse(),
      );
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }
}

/** What botbuilder answers for an activity that was not sent to the connector (its `id` was removed first). */
function noResponse(): ResourceResponse {
  return { id: '' };
}

/** What the turn answers the caller (CloudAdapterBase's processTurnResults). */
function turnResult(context: TurnContext): InvokeResponse | undefined {
  if (context.activity.deliveryMode === DeliveryModes.ExpectReplies) {
    return { status: StatusCodes.OK, body: { activities: context.bufferedReplyActivities } };
  }
  if (context.activity.type === ActivityTypes.Invoke) {
    const response = context.turnState.get(INVOKE_RESPONSE_KEY) as { value?: InvokeResponse } | undefined;
    return response ? response.value : { status: StatusCodes.NOT_IMPLEMENTED };
  }
  return undefined;
}

export function createAdapter(config: Config, options: AdapterOptions): AnsvarAdapter {
  const inner = new ConfigurationBotFrameworkAuthentication(config.botFramework, options.credentialsFactory);
  const auth = new ClientCachingAuthentication(
    config.localMode ? new OutboundGuardedAuthentication(inner, isLoopbackUrl) : inner,
  );
  const adapter = new AnsvarAdapter(auth);
  const log = options.logger;
  adapter.onTurnError = turnErrorHandler(log, INVOKE_RESPONSE_KEY);
  return adapter;
}

/** True for http(s) URLs whose host is localhost, 127.0.0.0/8 or [::1]. */
export function isLoopbackUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.username !== '' || url.password !== '') return false;
  const host = url.hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]') return true;
  // WHATWG URL parsing has already normalised IPv4 forms such as 0x7f.1 or 2130706433 to dotted decimal.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Refuses to create a connector for a service URL the predicate rejects. */
class GuardedConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly inner: ConnectorFactory,
    private readonly allowed: (serviceUrl: string) => boolean,
  ) {
    super();
  }

  override create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    if (!this.allowed(serviceUrl)) {
      return Promise.reject(
        new AnsvarError(
          'InvalidActivity',
          'outbound call refused: local mode only talks to loopback service URLs',
        ),
      );
    }
    return this.inner.create(serviceUrl, audience);
  }
}

/**
 * Delegates everything to `inner`, handing every connector factory it makes (per request or per claims) to `wrap`:
 * the one place the decorators below change what botbuilder's authentication gives the adapter.
 */
abstract class DelegatingAuthentication extends BotFrameworkAuthentication {
  constructor(protected readonly inner: BotFrameworkAuthentication) {
    super();
  }

  protected abstract wrap(
    factory: ConnectorFactory,
    claimsIdentity: ClaimsIdentity | undefined,
  ): ConnectorFactory;

  override async authenticateRequest(
    activity: Activity,
    authHeader: string,
  ): Promise<AuthenticateRequestResult> {
    return this.wrapped(await this.inner.authenticateRequest(activity, authHeader));
  }

  override async authenticateStreamingRequest(
    authHeader: string,
    channelIdHeader: string,
  ): Promise<AuthenticateRequestResult> {
    return this.wrapped(await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader));
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.wrap(this.inner.createConnectorFactory(claimsIdentity), claimsIdentity);
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.inner.createUserTokenClient(claimsIdentity);
  }

  override createBotFrameworkClient(): ReturnType<BotFrameworkAuthentication['createBotFrameworkClient']> {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }

  private wrapped(result: AuthenticateRequestResult): AuthenticateRequestResult {
    return {
      ...result,
      connectorFactory: result.connectorFactory && this.wrap(result.connectorFactory, result.claimsIdentity),
    };
  }
}

/** Wraps every connector factory the inner authentication hands out in the outbound guard. */
export class OutboundGuardedAuthentication extends DelegatingAuthentication {
  constructor(
    inner: BotFrameworkAuthentication,
    private readonly allowed: (serviceUrl: string) => boolean,
  ) {
    super(inner);
  }

  protected override wrap(factory: ConnectorFactory): ConnectorFactory {
    return new GuardedConnectorFactory(factory, this.allowed);
  }
}

/** How many connector clients the process keeps (Teams uses a handful of service URLs per region). */
const CLIENT_CACHE_LIMIT = 100;

/** A bounded map of promises; a promise that rejects is dropped, so a failure is not kept. */
class ClientCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  get(key: string, create: () => Promise<T>): Promise<T> {
    const cached = this.entries.get(key);
    if (cached !== undefined) return cached;
    const created = create();
    this.entries.set(key, created);
    if (this.entries.size > CLIENT_CACHE_LIMIT) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    created.catch(() => {
      if (this.entries.get(key) === created) this.entries.delete(key);
    });
    return created;
  }
}

/** Hands out cached clients; a miss creates one through the factory of the turn (so the outbound guard still runs). */
class CachedConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly inner: ConnectorFactory,
    private readonly appId: string,
    private readonly cache: ClientCache<ConnectorClient>,
  ) {
    super();
  }

  override create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    return this.cache.get(`${this.appId}\n${serviceUrl}\n${audience ?? ''}`, () =>
      this.inner.create(serviceUrl, audience),
    );
  }
}

/** Delegates everything to `inner`; connector and user token clients come from a cache shared by all turns. */
export class ClientCachingAuthentication extends DelegatingAuthentication {
  private readonly connectors = new ClientCache<ConnectorClient>();
  private readonly userTokenClients = new ClientCache<UserTokenClient>();

  protected override wrap(
    factory: ConnectorFactory,
    claimsIdentity: ClaimsIdentity | undefined,
  ): ConnectorFactory {
    return new CachedConnectorFactory(factory, appIdOf(claimsIdentity), this.connectors);
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.userTokenClients.get(appIdOf(claimsIdentity), () =>
      this.inner.createUserTokenClient(claimsIdentity),
    );
  }
}

/** The bot's app id the claims name (empty in local mode, where there are none). */
function appIdOf(claimsIdentity: ClaimsIdentity | undefined): string {
  return (claimsIdentity && JwtTokenValidation.getAppIdFromClaims(claimsIdentity.claims)) ?? '';
}

/**
 * True when authentication could not be decided because the OpenID metadata or keys could not be loaded (network,
 * metadata endpoint down): the server answers 503 so the channel retries. Every other failure is the caller's: 401.
 */
export function isAuthUnavailable(error: unknown): boolean {
  if (error instanceof AuthenticationError) return error.statusCode >= 500;
  return error instanceof Error && error.name === 'FetchError';
}
