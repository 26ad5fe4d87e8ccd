import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import type { Config } from '../services/infrastructure/config.js';
import type { Logger } from '../core/logger.js';
import { createAdapter, type AnsvarAdapter } from './adapter.js';
import type { AnsvarAgentsAdapter } from './agentsAdapter.js';
import type { ProactiveAdapter } from './delivery/sender.js';

/**
 * The adapter of the host ANSVAR_HOST chose, for its HTTP endpoint (bot/http.ts or bot/agentsHost.ts) and, as
 * `proactive`, for the sends outside a turn (bot/delivery/sender.ts): one adapter per process, so inbound turns and
 * proactive sends share its connector clients and tokens. The Agents SDK is loaded only when chosen.
 */
export type HostAdapter =
  | { sdk: 'botbuilder'; adapter: AnsvarAdapter; proactive: ProactiveAdapter }
  | { sdk: 'agents'; adapter: AnsvarAgentsAdapter; proactive: ProactiveAdapter };

export interface HostAdapterOptions {
  logger: Logger;
  /**
   * Tests: outbound calls without a token from Entra. botbuilder takes these credentials; on the Agents host any
   * factory given means anonymous outbound calls.
   */
  credentialsFactory?: ServiceClientCredentialsFactory;
}

export async function createHostAdapter(config: Config, options: HostAdapterOptions): Promise<HostAdapter> {
  const { logger, credentialsFactory } = options;
  if (config.hostSdk === 'agents') {
    const [{ createAgentsAdapter }, { agentsProactive }] = await Promise.all([
      import('./agentsAdapter.js'),
      import('./delivery/agentsProactive.js'),
    ]);
    const adapter = createAgentsAdapter(config, {
      logger,
      anonymousOutbound: credentialsFactory !== undefined,
    });
    return { sdk: 'agents', adapter, proactive: agentsProactive(adapter) };
  }
  const adapter = createAdapter(config, { logger, credentialsFactory });
  return { sdk: 'botbuilder', adapter, proactive: adapter };
}
