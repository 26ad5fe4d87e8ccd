import assert from 'node:assert/strict';
import { AuthType } from '@microsoft/agents-hosting';
import { agentsAuthConfig } from '../../bot/agentsHost.js';
import { loadConfig } from '../../services/infrastructure/config.js';

const TENANT = '11111111-2222-3333-4444-555555555555';
const BOT = {
  MicrosoftAppId: 'bot-app',
  MicrosoftAppTenantId: TENANT,
  ALLOWED_TENANT_IDS: TENANT,
  ANSVAR_HOST: 'agents',
};

describe('bot/agentsHost agentsAuthConfig (our settings as the Agents SDK reads them)', () => {
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
