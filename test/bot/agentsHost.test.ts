import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AuthType } from '@microsoft/agents-hosting';
import { agentsAuthConfig } from '../../bot/agentsAdapter.js';
import { loadConfig } from '../../services/infrastructure/config.js';
import { channelInvoke, channelMessage, postActivity } from '../../fakes/channelClient.js';
import { ADAPTIVE_CARD, chatWith, STORSJO } from '../fixtures/sampleApp.js';
import { spawnServer } from '../fixtures/serverProcess.js';
import { useServerProcesses } from '../fixtures/testServer.js';

const TENANT = '11111111-2222-3333-4444-555555555555';
const BOT = {
  MicrosoftAppId: 'bot-app',
  MicrosoftAppTenantId: TENANT,
  ALLOWED_TENANT_IDS: TENANT,
  ANSVAR_HOST: 'agents',
};

describe('bot/agentsAdapter agentsAuthConfig (our settings as the Agents SDK reads them)', () => {
  it('validates the Bot Framework issuer by default, with the app id as audience and a client secret', () => {
    const auth = agentsAuthConfig(loadConfig({ ...BOT, MicrosoftAppPassword: 's' }));
    assert.equal(auth.clientId, 'bot-app');
    assert.equal(auth.tenantId, TENANT);
    assert.equal(auth.authType, AuthType.ClientSecret);
    assert.equal(auth.clientSecret, 's');
    assert.equal(auth.validateIssuer, true);
    assert.deepEqual(auth.issuers, ['https://api.botframework.com']);
    assert.equal(auth.authority, undefined, "Entra's default authority");
    assert.deepEqual(auth.connectionsMap, [{ serviceUrl: '*', connection: 'serviceConnection' }]);
    assert.equal(auth.connections?.get('serviceConnection')?.clientId, 'bot-app');
  });

  it('uses the user-assigned managed identity when there is no secret', () => {
    const auth = agentsAuthConfig(loadConfig({ ...BOT, MicrosoftAppType: 'UserAssignedMSI' }));
    assert.equal(auth.authType, AuthType.UserManagedIdentity);
    assert.equal(auth.clientSecret, undefined);
  });

  it('uses the bot certificate: one PEM file as the certificate and the key the SDK reads itself', () => {
    const pem = path.resolve('test/fixtures/certificate/ansvar-test.pem');
    const auth = agentsAuthConfig(loadConfig({ ...BOT, MicrosoftAppCertificatePath: pem }));
    assert.equal(auth.authType, AuthType.Certificate);
    assert.equal(auth.certPemFile, pem);
    assert.equal(auth.certKeyFile, pem);
    assert.equal(auth.clientSecret, undefined);
    assert.equal(auth.connections?.get('serviceConnection')?.authType, AuthType.Certificate);
    // What the SDK's MsalTokenProvider does with the two files before it asks Entra for a token with a client
    // assertion: the key as PKCS#8 and the certificate's thumbprint, both from the one file.
    const file = fs.readFileSync(auth.certKeyFile!);
    assert.match(
      crypto
        .createPrivateKey({ key: file, format: 'pem' })
        .export({ format: 'pem', type: 'pkcs8' })
        .toString(),
      /BEGIN PRIVATE KEY/,
    );
    assert.equal(
      new crypto.X509Certificate(fs.readFileSync(auth.certPemFile!)).fingerprint.replaceAll(':', ''),
      '5925D500A413590F36C714FDDFF92FA23772FED8',
    );
  });

  it('takes the channel issuer override, and the key location from the OpenID override (tests, other clouds)', () => {
    const auth = agentsAuthConfig(
      loadConfig({
        ...BOT,
        MicrosoftAppPassword: 's',
        ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1:4000/v1/.well-known/openidconfiguration',
        ToBotFromChannelTokenIssuer: 'http://127.0.0.1:4000/issuer',
      }),
    );
    assert.deepEqual(auth.issuers, ['http://127.0.0.1:4000/issuer']);
    assert.equal(auth.authority, 'http://127.0.0.1:4000');
  });

  it('has no connection at all in local mode (no app id: the host authenticates nobody and is loopback only)', () => {
    assert.deepEqual(agentsAuthConfig(loadConfig({ ANSVAR_HOST: 'agents' })), {});
  });
});

describe('the server process on the Agents host (node --import tsx bot/server.ts, ANSVAR_HOST=agents)', function () {
  this.timeout(60_000);
  const servers = useServerProcesses();
  const agents = { env: { ANSVAR_HOST: 'agents' } };

  it('answers a question with the owner card and a click with the TeamsBot, as on botbuilder', async () => {
    const server = await servers.start(agents);
    const chat = chatWith(STORSJO.mona, servers.connector.serviceUrl);
    const res = await postActivity(server.url, channelMessage({ ...chat, text: 'vem äger Public 360' }));
    assert.equal(res.status, 200);
    await servers.connector.waitForCalls(1);
    const reply = servers.connector.activities.find((a) =>
      ((a.attachments ?? []) as { contentType?: string }[]).some((c) => c.contentType === ADAPTIVE_CARD),
    );
    assert.match(JSON.stringify(reply), /Maria Ekholm/);

    const click = channelInvoke(
      'adaptiveCard/action',
      { action: { type: 'Action.Execute', verb: 'no.such.verb', data: {} } },
      chat,
    );
    const first = await postActivity(server.url, click);
    const repeat = await postActivity(server.url, click);
    assert.equal(first.status, 400);
    assert.equal((first.json() as { type?: string }).type, 'application/vnd.microsoft.error');
    assert.deepEqual(repeat.json(), first.json(), 'the repeat is answered from the first run');
  });

  it('exits 1 with one line and the fix when the port is taken, without a stack anywhere', async () => {
    const first = await servers.start(agents);
    const second = await spawnServer(path.join(servers.dataDir, 'other'), {
      env: { ANSVAR_HOST: 'agents', PORT: String(first.port) },
    });
    try {
      assert.equal(await second.exited, 1);
      assert.match(second.stderr(), /port \d+ on 127\.0\.0\.1 is already in use .*PORT=3979 npm start/);
      assert.doesNotMatch(second.output(), /^\s+at /m, 'no stack trace on stdout or stderr');
    } finally {
      if (second.child.exitCode === null) second.child.kill('SIGKILL');
    }
  });
});
