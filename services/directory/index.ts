import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import type { RegisterStore } from '../../data/registerStore.js';
import type { Config } from '../infrastructure/config.js';
import { AnsvarError } from '../../core/errors.js';
import type { Directory } from './directory.js';
import { GraphDirectory } from './graphDirectory.js';
import { LocalDirectory } from './localDirectory.js';
import { TeamsAppInstaller } from './teamsAppInstaller.js';

export type { Directory, DirectoryPerson, PersonStatus } from './directory.js';
export { GraphDirectory, type GraphDirectoryOptions, type GraphDirectorySettings } from './graphDirectory.js';
export { LocalDirectory, type LocalDirectoryOptions, type LocalStatusFile } from './localDirectory.js';
export {
  TeamsAppInstaller,
  type InstallResult,
  type TeamsAppInstallerOptions,
  type TeamsAppInstallerSettings,
} from './teamsAppInstaller.js';

export interface CreateDirectoryOptions {
  now?: () => Date;
  /** Graph only: replaces the client-secret credential built from config (tests, managed identity). */
  credential?: TokenCredential;
  /** Local only: the demo status file (disabled / gone / out of office). */
  localStatusFile?: string;
}

/**
 * The directory `config.directory.kind` names. Makes no network call: Graph is first called on the first lookup.
 * Throws AnsvarError('InvalidConfig') for a bad local status file or a non-https GRAPH_AUTHORITY_HOST.
 */
export function createDirectory(
  config: Config,
  store: RegisterStore,
  options: CreateDirectoryOptions = {},
): Directory {
  const settings = config.directory;
  if (settings.kind === 'local') {
    return new LocalDirectory(store, { now: options.now, statusFile: options.localStatusFile });
  }
  const credential = options.credential ?? graphCredential(settings);
  return new GraphDirectory(
    { baseUrl: settings.baseUrl, timeoutMs: settings.timeoutMs, cacheTtlSeconds: settings.cacheTtlSeconds },
    { credential, now: options.now },
  );
}

/**
 * The Teams app installer when `DIRECTORY=graph` and TEAMS_APP_CATALOG_ID are set; otherwise undefined (nobody is
 * installed for). Makes no network call. Throws AnsvarError('InvalidConfig') for a non-https GRAPH_AUTHORITY_HOST.
 */
export function createTeamsAppInstaller(
  config: Config,
  options: Pick<CreateDirectoryOptions, 'credential'> = {},
): TeamsAppInstaller | undefined {
  const settings = config.directory;
  if (settings.kind !== 'graph' || settings.teamsAppCatalogId === undefined) return undefined;
  return new TeamsAppInstaller(
    { baseUrl: settings.baseUrl, timeoutMs: settings.timeoutMs, catalogAppId: settings.teamsAppCatalogId },
    { credential: options.credential ?? graphCredential(settings) },
  );
}

function graphCredential(settings: Extract<Config['directory'], { kind: 'graph' }>): TokenCredential {
  // @azure/identity (and MSAL) refuse an http authority; say which setting is wrong instead of a bare Error.
  if (settings.authorityHost !== undefined && new URL(settings.authorityHost).protocol !== 'https:') {
    throw new AnsvarError(
      'InvalidConfig',
      `GRAPH_AUTHORITY_HOST must be an https URL, got ${settings.authorityHost}`,
    );
  }
  return new LazyGraphCredential(settings);
}

/**
 * The @azure/identity credential `settings.credential` names (client secret, certificate file, or the user-assigned
 * managed identity whose client id is GRAPH_CLIENT_ID), created on the first token request. @azure/identity costs about 17 MB of memory and a
 * noticeable share of start-up to load, and only a Graph-backed deployment uses it, so the local mode never loads
 * it and a Graph deployment loads it on its first Graph call.
 */
export class LazyGraphCredential implements TokenCredential {
  private inner?: Promise<TokenCredential>;

  constructor(
    private readonly settings: Pick<
      Extract<Config['directory'], { kind: 'graph' }>,
      'tenantId' | 'clientId' | 'credential' | 'authorityHost'
    >,
  ) {}

  /** The @azure/identity credential class this one stands for (loads the library). */
  async resolve(): Promise<TokenCredential> {
    this.inner ??= import('@azure/identity').then((identity) => {
      const { tenantId, clientId, credential, authorityHost } = this.settings;
      switch (credential.kind) {
        case 'secret':
          return new identity.ClientSecretCredential(tenantId, clientId, credential.clientSecret, {
            authorityHost,
          });
        case 'certificate':
          return new identity.ClientCertificateCredential(
            tenantId,
            clientId,
            { certificatePath: credential.certificatePath },
            { authorityHost },
          );
        case 'managedIdentity':
          return new identity.ManagedIdentityCredential({ clientId });
      }
    });
    return this.inner;
  }

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    return (await this.resolve()).getToken(scopes, options);
  }
}
