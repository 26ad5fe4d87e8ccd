import {
  AuthType,
  CloudAdapter,
  INVOKE_RESPONSE_KEY,
  TurnContext,
  type AuthConfiguration,
  type InvokeResponse,
  type OutboundUrlPolicy,
} from '@microsoft/agents-hosting';
import type { Activity } from '@microsoft/agents-activity';
import type { Config } from '../services/infrastructure/config.js';
import type { Logger } from '../core/logger.js';
import { isLoopbackUrl } from './adapter.js';
import { turnErrorHandler } from './invokeResponses.js';

/**
 * The Microsoft 365 Agents SDK's CloudAdapter as the Agents host (bot/agentsHost.ts) and its proactive sends
 * (bot/delivery/agentsProactive.ts) share it: one adapter per process, so its token cache serves both.
 *
 * - Auth settings from ours (`agentsAuthConfig`): the MicrosoftApp* names, issuer validation on, and the bot's
 *   credential: a client secret, a certificate (one PEM file with the certificate and its key, as for botbuilder),
 *   or the user-assigned managed identity whose client id is the app id.
 * - In local mode (no app id) the SDK's outbound URL policy allows loopback service URLs only, for replies and
 *   proactive messages alike (botbuilder's adapter has the same guard, bot/adapter.ts).
 * - `onTurnError` logs and answers an invoke with our fixed error body; it never shows an error text to a user.
 * Constructing it makes no network call.
 */

/** The caller's identity as the SDK keeps it on the turn (the token's claims, or anonymous in local mode). */
export type Identity = NonNullable<Parameters<CloudAdapter['createTurnContext']>[2]>;

/** The Bot Framework channel's token issuer (Teams, Azure Bot Service). */
const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

/** The SDK's auth settings from ours: the MicrosoftApp* names, issuer validation on. */
export function agentsAuthConfig(config: Config): AuthConfiguration {
  const bf = config.botFramework;
  if (config.localMode) return {};
  const issuer = bf.ToBotFromChannelTokenIssuer ?? BOT_FRAMEWORK_ISSUER;
  // A custom OpenID location (tests, another cloud) also moves where the SDK looks for the keys of a non-Bot-Framework
  // issuer: `<authority>/<tenant>/discovery/v2.0/keys` (see buildJwksUri).
  const metadata = bf.ToBotFromChannelOpenIdMetadataUrl;
  const settings: AuthConfiguration = {
    clientId: bf.MicrosoftAppId,
    tenantId: bf.MicrosoftAppTenantId || undefined,
    issuers: [issuer],
    validateIssuer: true,
    ...credentialOf(bf),
    ...(metadata ? { authority: new URL(metadata).origin } : {}),
  };
  return {
    ...settings,
    connections: new Map([['serviceConnection', settings]]),
    connectionsMap: [{ serviceUrl: '*', connection: 'serviceConnection' }],
  };
}

/** config.ts allows exactly one: a secret, a certificate file, or (neither) the user-assigned managed identity. */
function credentialOf(bf: Config['botFramework']): AuthConfiguration {
  if (bf.MicrosoftAppPassword)
    return { authType: AuthType.ClientSecret, clientSecret: bf.MicrosoftAppPassword };
  const pem = bf.MicrosoftAppCertificatePath;
  // The SDK reads the certificate and the key from two settings; one PEM file holding both serves as each.
  if (pem) return { authType: AuthType.Certificate, certPemFile: pem, certKeyFile: pem };
  return { authType: AuthType.UserManagedIdentity };
}

export class AnsvarAgentsAdapter extends CloudAdapter {
  constructor(
    authConfig: AuthConfiguration,
    policy: OutboundUrlPolicy,
    private readonly anonymousOutbound: boolean,
  ) {
    super(authConfig, undefined, undefined, { validateServiceUrl: false }, policy);
  }

  protected override createConnectorClientWithIdentity(
    identity: Identity,
    activity: Activity,
  ): ReturnType<CloudAdapter['createConnectorClientWithIdentity']> {
    // An identity without an audience is the SDK's anonymous path: no token, the URL policy still applies.
    return super.createConnectorClientWithIdentity(
      this.anonymousOutbound ? { ...identity, aud: undefined } : identity,
      activity,
    );
  }

  /** One turn for an authenticated activity (what `process` does, without owning the response). */
  async runTurn(
    identity: Identity,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    const context = new TurnContext(this, activity, identity);
    if (this.resolveIfConnectorClientIsNeeded(activity)) {
      this.setConnectorClient(context, await this.createConnectorClientWithIdentity(identity, activity));
    }
    await this.runMiddleware(context, logic);
    return this.processTurnResults(context);
  }
}

export interface AgentsAdapterOptions {
  logger: Logger;
  /** Replies and proactive sends without a token from Entra (tests, as botbuilder's empty credentials). */
  anonymousOutbound?: boolean;
}

export function createAgentsAdapter(config: Config, options: AgentsAdapterOptions): AnsvarAgentsAdapter {
  const log = options.logger.child({ component: 'http', host: 'agents' });
  const policy: OutboundUrlPolicy = config.localMode
    ? { enabled: true, isAllowed: (url) => url !== null && url !== undefined && isLoopbackUrl(String(url)) }
    : { enabled: false, isAllowed: () => true };
  const adapter = new AnsvarAgentsAdapter(
    agentsAuthConfig(config),
    policy,
    options.anonymousOutbound ?? false,
  );
  adapter.onTurnError = turnErrorHandler(log, INVOKE_RESPONSE_KEY);
  return adapter;
}
