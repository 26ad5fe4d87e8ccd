import type { TokenCredential } from '@azure/identity';
import { ResponseType, type Client } from '@microsoft/microsoft-graph-client';
import { logger } from '../../core/logger.js';
import { createGraphClient, normaliseGraphBaseUrl, withDeadline } from './graphClient.js';

/**
 * Installs Ansvar's Teams app in a user's personal scope (Graph `POST /users/{id | upn}/teamwork/installedApps`),
 * so the bot can reach someone who never opened it: the install makes Teams send the bot an `installationUpdate`
 * (and a `conversationUpdate`) carrying the user's conversation reference.
 *
 * Results:
 * - 'installed' (201) and 'alreadyInstalled' (409): the app is there for the user.
 * - 'notAllowed': Graph refused for good: 403 (permission missing, the app is blocked for the user by policy, or
 *   the app's `webApplicationInfo.id` is not this Graph app), 404 (no such user, or no such app in the catalog),
 *   400. Trying again will not help.
 * - 'unavailable': no answer within `timeoutMs` (retries included), unreachable, a refused token (401), 5xx or 429
 *   after the client's retries (RetryHandler honours Retry-After on 429/503/504). Trying later may help.
 * Failures are logged and returned, never thrown; only a call without a user id throws (a programming error).
 *
 * Permission (application): TeamsAppInstallation.ReadWriteSelfForUser.All, admin-consented. The app must be in the
 * organisation's app catalog (`catalogAppId` is its catalog id, not the manifest id), and its manifest's
 * `webApplicationInfo.id` must be the client id of the Graph app registration whose token is used.
 */

export type InstallResult = 'installed' | 'alreadyInstalled' | 'notAllowed' | 'unavailable';

export interface TeamsAppInstallerSettings {
  /** Graph endpoint without version, e.g. https://graph.microsoft.com. */
  baseUrl: string;
  timeoutMs: number;
  /**
   * The app's id in the organisation's app catalog, not the manifest id
   * (`GET /appCatalogs/teamsApps?$filter=externalId eq '<manifest id>'`).
   */
  catalogAppId: string;
}

export interface TeamsAppInstallerOptions {
  credential: TokenCredential;
}

const PERMANENT = new Set([400, 403, 404]);

class InstallTimeout extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'InstallTimeout';
  }
}

export class TeamsAppInstaller {
  private readonly client: Client;
  private readonly settings: TeamsAppInstallerSettings;
  private readonly log = logger.child({ component: 'directory.teamsAppInstaller' });

  constructor(settings: TeamsAppInstallerSettings, options: TeamsAppInstallerOptions) {
    this.settings = { ...settings, baseUrl: normaliseGraphBaseUrl(settings.baseUrl) };
    this.client = createGraphClient(this.settings.baseUrl, options.credential);
  }

  /** The value of `teamsApp@odata.bind`: the catalog app, on the configured Graph endpoint. */
  get teamsAppBinding(): string {
    return `${this.settings.baseUrl}/v1.0/appCatalogs/teamsApps/${encodeURIComponent(this.settings.catalogAppId)}`;
  }

  async install(upnOrObjectId: string): Promise<InstallResult> {
    const user = upnOrObjectId.trim().toLowerCase();
    if (user.length === 0) throw new TypeError('install needs a user principal name or object id');
    const path = `/users/${encodeURIComponent(user)}/teamwork/installedApps`;
    let status: number;
    let code: string | undefined;
    try {
      ({ status, code } = await withDeadline(
        this.settings.timeoutMs,
        async (signal) => {
          // RAW: Graph answers 201 with no body, and error statuses are read here rather than thrown.
          const response = (await this.client
            .api(path)
            .responseType(ResponseType.RAW)
            .option('signal', signal)
            .post({ 'teamsApp@odata.bind': this.teamsAppBinding })) as Response;
          return { status: response.status, code: await errorCodeOf(response) };
        },
        () => new InstallTimeout(this.settings.timeoutMs),
      ));
    } catch (error) {
      this.log.warn({ user, err: (error as Error).message }, 'Teams app install: Graph unavailable');
      return 'unavailable';
    }

    if (status >= 200 && status < 300) {
      this.log.info({ user }, 'Teams app installed for the user');
      return 'installed';
    }
    if (status === 409) return 'alreadyInstalled';
    if (PERMANENT.has(status)) {
      this.log.warn({ user, status, code }, 'Teams app install refused');
      return 'notAllowed';
    }
    this.log.warn({ user, status, code }, 'Teams app install: Graph unavailable');
    return 'unavailable';
  }
}

/** Graph's `error.code` of an error answer, if it has one; always consumes the body (frees the connection). */
async function errorCodeOf(response: Response): Promise<string | undefined> {
  const text = await response.text();
  if (response.ok || text.length === 0) return undefined;
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}
