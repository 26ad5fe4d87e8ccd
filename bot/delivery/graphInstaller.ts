import type { Config } from '../../services/infrastructure/config.js';
import { createTeamsAppInstaller, type InstallResult } from '../../services/directory/index.js';
import { AnsvarError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { ProactiveInstaller } from './outboxProcessor.js';

/**
 * The outbox processor's ProactiveInstaller on top of the Graph TeamsAppInstaller.
 *
 * - true when the app was installed or was installed already: Teams then sends the bot an installationUpdate /
 *   conversationUpdate, the recorder stores the reference and wakes the processor, which finds it on its next pass.
 * - false when Graph refused for good (403/404/400) or the person is not in the directory: the item is unreachable.
 * - Graph unavailable (timeout, 5xx, throttled after retries): throws AnsvarError('DirectoryUnavailable'), which
 *   the processor treats like any directory failure: the item is deferred and tried again with backoff (bounded by
 *   its attempts), rather than giving up on an approver because Graph did not answer once.
 */

export interface GraphProactiveInstallerOptions {
  installer: { install(upnOrObjectId: string): Promise<InstallResult> };
  /**
   * Person id (e-mail) → the user's Entra object id, as the processor resolves it (`directoryPersonKey`); undefined
   * = not in the directory. Default: the person id is used as the UPN.
   */
  personKeyOf?: (personId: string) => Promise<string | undefined>;
  logger: Logger;
}

export class GraphProactiveInstaller implements ProactiveInstaller {
  private readonly log: Logger;

  constructor(private readonly options: GraphProactiveInstallerOptions) {
    this.log = options.logger.child({ component: 'delivery.installer' });
  }

  async install(personId: string): Promise<boolean> {
    const user = this.options.personKeyOf ? await this.options.personKeyOf(personId) : personId;
    if (!user) return false;
    const result = await this.options.installer.install(user);
    this.log.info({ personId, result }, 'Teams app install for a person without a conversation reference');
    if (result === 'unavailable')
      throw new AnsvarError('DirectoryUnavailable', 'Graph did not install the Teams app; trying later');
    return result === 'installed' || result === 'alreadyInstalled';
  }
}

/**
 * The installer the app wires in: a GraphProactiveInstaller when `DIRECTORY=graph` and TEAMS_APP_CATALOG_ID are
 * set; otherwise undefined, and the processor keeps its default (installs nothing).
 */
export function createProactiveInstaller(
  config: Config,
  options: Omit<GraphProactiveInstallerOptions, 'installer'>,
): ProactiveInstaller | undefined {
  const installer = createTeamsAppInstaller(config);
  return installer === undefined ? undefined : new GraphProactiveInstaller({ ...options, installer });
}
