import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  loadConfig,
  loadEnvFile,
  redactedSummary,
  type Config,
} from '../../../services/infrastructure/config.js';
import { LazyGraphCredential } from '../../../services/directory/index.js';
import { isAnsvarError } from '../../../core/errors.js';

const CERTIFICATE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'fixtures',
  'certificate',
  'ansvar-test.pem',
);
/** `openssl x509 -in ansvar-test.pem -noout -fingerprint -sha1`, colons removed. */
const CERTIFICATE_THUMBPRINT = '5925D500A413590F36C714FDDFF92FA23772FED8';

const TENANT = '11111111-2222-3333-4444-555555555555';
const BOT = { MicrosoftAppId: 'bot-app', ALLOWED_TENANT_IDS: TENANT };
const GRAPH = { DIRECTORY: 'graph', GRAPH_TENANT_ID: TENANT, GRAPH_CLIENT_ID: 'graph-app' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(isAnsvarError(error, 'InvalidConfig'), `unexpected error ${String(error)}`);
    return error.message
      .split('\n')
      .slice(1)
      .map((line) => line.trim());
  }
  return [];
}

function graphCredential(config: Config) {
  assert.equal(config.directory.kind, 'graph');
  return config.directory.kind === 'graph' ? config.directory.credential : undefined;
}

describe('loadConfig', () => {
  describe('bot authentication', () => {
    it('defaults to SingleTenant and then requires MicrosoftAppTenantId', () => {
      assert.deepEqual(problems({ ...BOT, MicrosoftAppPassword: 's' }), [
        'MicrosoftAppTenantId: required for MicrosoftAppType=SingleTenant (the default)',
      ]);
      const config = loadConfig({ ...BOT, MicrosoftAppPassword: 's', MicrosoftAppTenantId: TENANT });
      assert.equal(config.botFramework.MicrosoftAppType, 'SingleTenant');
      assert.equal(config.botFramework.MicrosoftAppTenantId, TENANT);
    });

    it('still accepts MultiTenant without a tenant id for existing registrations', () => {
      const config = loadConfig({ ...BOT, MicrosoftAppPassword: 's', MicrosoftAppType: 'MultiTenant' });
      assert.equal(config.botFramework.MicrosoftAppType, 'MultiTenant');
    });

    it('takes a user-assigned managed identity with no secret, and refuses one with a secret', () => {
      const msi = { ...BOT, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: TENANT };
      assert.equal(loadConfig(msi).botFramework.MicrosoftAppType, 'UserAssignedMSI');
      assert.deepEqual(problems({ ...msi, MicrosoftAppPassword: 's' }), [
        'MicrosoftAppPassword: must be empty (and no certificate set) for MicrosoftAppType=UserAssignedMSI',
      ]);
    });

    it('reads a certificate file into the thumbprint and private key botbuilder expects, and hides the key', () => {
      const config = loadConfig({
        ...BOT,
        MicrosoftAppTenantId: TENANT,
        MicrosoftAppCertificatePath: CERTIFICATE,
      });
      assert.equal(config.botFramework.CertificateThumbprint, CERTIFICATE_THUMBPRINT);
      assert.match(config.botFramework.CertificatePrivateKey ?? '', /^-----BEGIN PRIVATE KEY-----\n/);
      assert.equal(config.botFramework.MicrosoftAppPassword, '');
      const summary = JSON.stringify(redactedSummary(config));
      assert.doesNotMatch(summary, /BEGIN PRIVATE KEY/);
    });

    it('names the certificate setting when the file is not a PEM certificate with its key', () => {
      assert.throws(
        () =>
          loadConfig({
            ...BOT,
            MicrosoftAppTenantId: TENANT,
            MicrosoftAppCertificatePath: '/nonexistent.pem',
          }),
        (error: unknown) =>
          isAnsvarError(error, 'InvalidConfig') &&
          /MicrosoftAppCertificatePath: cannot read .*\/nonexistent\.pem/.test(error.message),
      );
    });
  });

  describe('host (ANSVAR_HOST)', () => {
    it('defaults to botbuilder, takes agents, and refuses anything else', () => {
      assert.equal(loadConfig({}).hostSdk, 'botbuilder');
      assert.equal(loadConfig({ ANSVAR_HOST: 'agents' }).hostSdk, 'agents');
      assert.equal(problems({ ANSVAR_HOST: 'teams' }).length, 1);
      assert.match(problems({ ANSVAR_HOST: 'teams' })[0] ?? '', /^ANSVAR_HOST: /);
    });

    it('takes a bot certificate, a secret or the managed identity with the agents host', () => {
      const bot = { ...BOT, MicrosoftAppTenantId: TENANT, ANSVAR_HOST: 'agents' };
      const withCertificate = loadConfig({ ...bot, MicrosoftAppCertificatePath: CERTIFICATE });
      assert.equal(withCertificate.hostSdk, 'agents');
      // The Agents SDK reads the PEM file itself, so the absolute path is kept next to botbuilder's thumbprint.
      assert.equal(withCertificate.botFramework.MicrosoftAppCertificatePath, CERTIFICATE);
      assert.equal(loadConfig({ ...bot, MicrosoftAppPassword: 's' }).hostSdk, 'agents');
      assert.equal(loadConfig({ ...bot, MicrosoftAppType: 'UserAssignedMSI' }).hostSdk, 'agents');
    });
  });

  describe('Graph credential', () => {
    it('takes exactly one of a client secret, a certificate file or the managed identity', () => {
      assert.deepEqual(graphCredential(loadConfig({ ...GRAPH, GRAPH_CLIENT_SECRET: 'x' })), {
        kind: 'secret',
        clientSecret: 'x',
      });
      assert.deepEqual(
        graphCredential(loadConfig({ ...GRAPH, GRAPH_CLIENT_CERTIFICATE_PATH: CERTIFICATE })),
        {
          kind: 'certificate',
          certificatePath: CERTIFICATE,
        },
      );
      assert.deepEqual(graphCredential(loadConfig({ ...GRAPH, GRAPH_MANAGED_IDENTITY: 'true' })), {
        kind: 'managedIdentity',
      });
      const oneOf = /^GRAPH_CLIENT_SECRET: DIRECTORY=graph needs exactly one of/;
      assert.match(problems(GRAPH)[0] ?? '', oneOf);
      assert.match(
        problems({ ...GRAPH, GRAPH_CLIENT_SECRET: 'x', GRAPH_MANAGED_IDENTITY: 'true' })[0] ?? '',
        oneOf,
      );
    });

    it('builds the matching @azure/identity credential, and no secret reaches the start-up summary', async () => {
      const cases = [
        [{ GRAPH_CLIENT_SECRET: 'very-secret' }, 'ClientSecretCredential'],
        [{ GRAPH_CLIENT_CERTIFICATE_PATH: CERTIFICATE }, 'ClientCertificateCredential'],
        [{ GRAPH_MANAGED_IDENTITY: 'true' }, 'ManagedIdentityCredential'],
      ] as const;
      for (const [env, expected] of cases) {
        const config = loadConfig({ ...GRAPH, ...env });
        assert.ok(config.directory.kind === 'graph', 'graph directory');
        const credential = await new LazyGraphCredential(config.directory).resolve();
        // By name: tsx loads the test's and the product's copy of the dual-format package separately.
        assert.equal(credential.constructor.name, expected);
        assert.doesNotMatch(JSON.stringify(redactedSummary(config)), /very-secret/);
      }
    });
  });
});

describe('loadEnvFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ansvar-env-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the file ANSVAR_ENV_FILE names without overriding what the environment already sets', async () => {
    const file = path.join(dir, 'ansvar.env');
    await writeFile(file, '# comment\nPORT=4000\nLOG_LEVEL=debug\nHOST="127.0.0.2"\n');
    const env: NodeJS.ProcessEnv = { ANSVAR_ENV_FILE: file, LOG_LEVEL: 'warn' };
    assert.equal(loadEnvFile(env), file);
    assert.equal(env.PORT, '4000');
    assert.equal(env.HOST, '127.0.0.2');
    assert.equal(env.LOG_LEVEL, 'warn');
  });

  it('reads .env from the working directory by default and is content without one', async () => {
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      assert.equal(loadEnvFile({}), undefined);
      await writeFile(path.join(dir, '.env'), 'PORT=4001\n');
      const env: NodeJS.ProcessEnv = {};
      assert.equal(loadEnvFile(env), path.join(dir, '.env'));
      assert.equal(env.PORT, '4001');
    } finally {
      process.chdir(cwd);
    }
  });

  it('refuses a missing file that ANSVAR_ENV_FILE names', () => {
    assert.throws(
      () => loadEnvFile({ ANSVAR_ENV_FILE: path.join(dir, 'missing.env') }),
      (error: unknown) =>
        isAnsvarError(error, 'InvalidConfig') && /ANSVAR_ENV_FILE: .*missing\.env/.test(error.message),
    );
  });
});
