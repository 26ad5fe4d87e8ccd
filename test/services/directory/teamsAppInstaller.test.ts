import assert from 'node:assert/strict';
import { loadConfig } from '../../../services/infrastructure/config.js';
import { createTeamsAppInstaller } from '../../../services/directory/index.js';
import {
  TeamsAppInstaller,
  type TeamsAppInstallerSettings,
} from '../../../services/directory/teamsAppInstaller.js';
import { isAnsvarError } from '../../../core/errors.js';
import { FakeGraphServer, FakeTokenCredential } from '../../../fakes/fakeGraphServer.js';

const CATALOG_APP_ID = '6f0c2a55-3b1e-4c8e-9a57-0d4c1e2b7a10';

describe('TeamsAppInstaller', () => {
  let graph: FakeGraphServer;
  let credential: FakeTokenCredential;

  beforeEach(async () => {
    graph = await FakeGraphServer.start();
    graph.addCatalogApp(CATALOG_APP_ID);
    credential = new FakeTokenCredential(graph.token);
  });

  afterEach(async () => {
    await graph.close();
  });

  function buildInstaller(
    overrides: Partial<TeamsAppInstallerSettings> = {},
    baseUrl = graph.baseUrl,
  ): TeamsAppInstaller {
    return new TeamsAppInstaller(
      { baseUrl, timeoutMs: 2000, catalogAppId: CATALOG_APP_ID, ...overrides },
      { credential },
    );
  }

  const installRequests = () => graph.requests.filter((r) => r.path.endsWith('/teamwork/installedApps'));

  it('makes no request and asks for no token when constructed', () => {
    buildInstaller();
    assert.deepEqual(graph.requests, []);
    assert.deepEqual(credential.scopesRequested, []);
  });

  it("installs the catalog app in the user's personal scope, addressed by UPN, with the bearer token", async () => {
    graph.addUser({ userPrincipalName: 'anna.berg@kommun.se' });
    const result = await buildInstaller().install('Anna.Berg@kommun.se');

    assert.equal(result, 'installed');
    assert.deepEqual(graph.installedApps('anna.berg@kommun.se'), [CATALOG_APP_ID]);
    assert.equal(graph.requests.length, 1);
    const [request] = graph.requests;
    assert.equal(request?.method, 'POST');
    assert.equal(request?.path, '/users/anna.berg@kommun.se/teamwork/installedApps');
    assert.deepEqual(request?.body, {
      'teamsApp@odata.bind': `${graph.baseUrl}/v1.0/appCatalogs/teamsApps/${CATALOG_APP_ID}`,
    });
    assert.equal(request?.authorization, `Bearer ${graph.token}`);
    assert.deepEqual(credential.scopesRequested[0], [`${graph.baseUrl}/.default`]);
  });

  it('installs for a user addressed by object id, binding on a base URL given with a trailing slash', async () => {
    const user = graph.addUser({ userPrincipalName: 'nils@kommun.se' });
    const result = await buildInstaller({}, `${graph.baseUrl}/`).install(user.id);

    assert.equal(result, 'installed');
    assert.equal(installRequests()[0]?.path, `/users/${user.id}/teamwork/installedApps`);
    assert.deepEqual(installRequests()[0]?.body, {
      'teamsApp@odata.bind': `${graph.baseUrl}/v1.0/appCatalogs/teamsApps/${CATALOG_APP_ID}`,
    });
  });

  it('reports alreadyInstalled when Graph answers 409', async () => {
    graph.addUser({ userPrincipalName: 'anna@kommun.se' });
    graph.setInstalled('anna@kommun.se', CATALOG_APP_ID);

    assert.equal(await buildInstaller().install('anna@kommun.se'), 'alreadyInstalled');
    assert.deepEqual(
      installRequests().map((r) => r.status),
      [409],
    );
  });

  it('reports alreadyInstalled on a second install for the same user', async () => {
    graph.addUser({ userPrincipalName: 'anna@kommun.se' });
    const installer = buildInstaller();

    assert.equal(await installer.install('anna@kommun.se'), 'installed');
    assert.equal(await installer.install('anna@kommun.se'), 'alreadyInstalled');
  });

  it('reports notAllowed when Graph refuses with 403, without retrying', async () => {
    graph.addUser({ userPrincipalName: 'blocked@kommun.se' });
    graph.refuseInstall('blocked@kommun.se', 403);

    assert.equal(await buildInstaller().install('blocked@kommun.se'), 'notAllowed');
    assert.deepEqual(
      installRequests().map((r) => r.status),
      [403],
    );
    assert.deepEqual(graph.installedApps('blocked@kommun.se'), []);
  });

  it('reports notAllowed for a user Graph does not know (404)', async () => {
    assert.equal(await buildInstaller().install('nobody@kommun.se'), 'notAllowed');
    assert.deepEqual(
      installRequests().map((r) => [r.path, r.status]),
      [['/users/nobody@kommun.se/teamwork/installedApps', 404]],
    );
  });

  it('reports notAllowed when the app is not in the catalog (404)', async () => {
    graph.addUser({ userPrincipalName: 'anna@kommun.se' });
    const installer = buildInstaller({ catalogAppId: '00000000-0000-4000-8000-00000000dead' });

    assert.equal(await installer.install('anna@kommun.se'), 'notAllowed');
    assert.deepEqual(graph.installedApps('anna@kommun.se'), []);
  });

  it('retries a throttled install (429 with Retry-After) through the client and installs', async () => {
    graph.addUser({ userPrincipalName: 'anna@kommun.se' });
    graph.throttleNextRequests(1, 0);

    assert.equal(await buildInstaller().install('anna@kommun.se'), 'installed');
    assert.deepEqual(
      installRequests().map((r) => r.status),
      [429, 201],
    );
    assert.deepEqual(installRequests()[1]?.body, installRequests()[0]?.body);
  });

  it('reports unavailable when Graph cannot be reached', async () => {
    const baseUrl = graph.baseUrl;
    await graph.close();
    graph = await FakeGraphServer.start();

    assert.equal(await buildInstaller({}, baseUrl).install('anna@kommun.se'), 'unavailable');
  });

  it('reports unavailable when Graph keeps answering 500', async () => {
    graph.addUser({ userPrincipalName: 'anna@kommun.se' });
    graph.failAll(500);

    assert.equal(await buildInstaller().install('anna@kommun.se'), 'unavailable');
  });

  it('reports unavailable when the token is refused (401)', async () => {
    credential = new FakeTokenCredential('wrong-token');
    graph.addUser({ userPrincipalName: 'anna@kommun.se' });

    assert.equal(await buildInstaller().install('anna@kommun.se'), 'unavailable');
    assert.deepEqual(graph.installedApps('anna@kommun.se'), []);
  });

  it('reports unavailable when Graph does not answer within the timeout', async () => {
    graph.addUser({ userPrincipalName: 'anna@kommun.se' });
    graph.hang();
    const started = Date.now();

    assert.equal(await buildInstaller({ timeoutMs: 150 }).install('anna@kommun.se'), 'unavailable');
    assert.ok(Date.now() - started < 1500, 'answered at the deadline, not later');
    assert.deepEqual(
      installRequests().map((r) => r.status),
      [0],
    );
  });

  it('throws for an empty user id (a programming error)', async () => {
    await assert.rejects(buildInstaller().install('  '), TypeError);
    assert.deepEqual(graph.requests, []);
  });
});

describe('createTeamsAppInstaller', () => {
  const graphEnv = (extra: Record<string, string> = {}) => ({
    DIRECTORY: 'graph',
    GRAPH_TENANT_ID: '11111111-1111-4111-8111-111111111111',
    GRAPH_CLIENT_ID: '22222222-2222-4222-8222-222222222222',
    GRAPH_CLIENT_SECRET: 'not-a-secret',
    ...extra,
  });

  it('builds no installer for the local directory', () => {
    assert.equal(createTeamsAppInstaller(loadConfig({})), undefined);
  });

  it('builds no installer for Graph without TEAMS_APP_CATALOG_ID', () => {
    assert.equal(createTeamsAppInstaller(loadConfig(graphEnv())), undefined);
  });

  it('builds an installer on GRAPH_BASE_URL for the configured catalog app', async () => {
    const graph = await FakeGraphServer.start();
    try {
      graph.addCatalogApp(CATALOG_APP_ID);
      graph.addUser({ userPrincipalName: 'anna@kommun.se' });
      const config = loadConfig(
        graphEnv({ GRAPH_BASE_URL: graph.baseUrl, TEAMS_APP_CATALOG_ID: CATALOG_APP_ID }),
      );
      const installer = createTeamsAppInstaller(config, {
        credential: new FakeTokenCredential(graph.token),
      });

      assert.ok(installer, 'installer');
      assert.deepEqual(graph.requests, []);
      assert.equal(await installer.install('anna@kommun.se'), 'installed');
    } finally {
      await graph.close();
    }
  });

  it('refuses a catalog id that is not a GUID, naming the setting', () => {
    assert.throws(
      () => loadConfig(graphEnv({ TEAMS_APP_CATALOG_ID: '../../users' })),
      (error: unknown) => isAnsvarError(error, 'InvalidConfig') && /TEAMS_APP_CATALOG_ID/.test(error.message),
    );
  });

  it('refuses TEAMS_APP_CATALOG_ID without DIRECTORY=graph', () => {
    assert.throws(
      () => loadConfig({ TEAMS_APP_CATALOG_ID: CATALOG_APP_ID }),
      (error: unknown) =>
        isAnsvarError(error, 'InvalidConfig') &&
        /TEAMS_APP_CATALOG_ID: needs DIRECTORY=graph/.test(error.message),
    );
  });
});
