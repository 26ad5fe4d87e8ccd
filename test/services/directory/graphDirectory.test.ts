import assert from 'node:assert/strict';
import { isAnsvarError } from '../../../core/errors.js';
import {
  GraphDirectory,
  USER_SELECT,
  toInstant,
  type GraphDirectorySettings,
} from '../../../services/directory/graphDirectory.js';
import { FakeGraphServer, FakeTokenCredential } from '../../../fakes/fakeGraphServer.js';

const isUnavailable = (error: unknown) => isAnsvarError(error, 'DirectoryUnavailable');

describe('GraphDirectory', () => {
  let graph: FakeGraphServer;
  let credential: FakeTokenCredential;
  let clock: Date;
  let waits: number[];

  beforeEach(async () => {
    graph = await FakeGraphServer.start();
    credential = new FakeTokenCredential(graph.token);
    clock = new Date('2030-03-01T12:00:00Z');
    waits = [];
  });

  afterEach(async () => {
    await graph.close();
  });

  function buildDirectory(
    overrides: Partial<GraphDirectorySettings> = {},
    baseUrl = graph.baseUrl,
  ): GraphDirectory {
    return new GraphDirectory(
      { baseUrl, timeoutMs: 2000, cacheTtlSeconds: 300, ...overrides },
      {
        credential,
        now: () => clock,
        sleep: async (ms) => {
          waits.push(ms);
        },
      },
    );
  }

  const userRequests = () => graph.requests.filter((r) => r.path.startsWith('/users/'));

  describe('construction', () => {
    it('makes no request and asks for no token', () => {
      buildDirectory();
      assert.deepEqual(graph.requests, []);
      assert.deepEqual(credential.scopesRequested, []);
    });
  });

  describe('findByUpn / findById', () => {
    it('finds a user by UPN, selecting only the fields Ansvar reads, with the bearer token', async () => {
      graph.addUser({
        userPrincipalName: 'Anna.Berg@kommun.se',
        displayName: 'Anna Berg',
        jobTitle: 'Systemförvaltare',
        department: 'IT-enheten',
      });
      const person = await buildDirectory().findByUpn('anna.berg@kommun.se');

      assert.equal(person?.upn, 'anna.berg@kommun.se');
      assert.equal(person?.displayName, 'Anna Berg');
      assert.equal(person?.jobTitle, 'Systemförvaltare');
      assert.equal(person?.department, 'IT-enheten');
      assert.equal(person?.accountEnabled, true);
      const [request] = graph.requests;
      assert.equal(request?.path, '/users/anna.berg@kommun.se');
      assert.deepEqual([...(request?.select ?? [])].sort(), [...USER_SELECT].sort());
      assert.equal(request?.authorization, `Bearer ${graph.token}`);
      assert.deepEqual(credential.scopesRequested[0], [`${graph.baseUrl}/.default`]);
    });

    it('finds a user by object id, whatever its case', async () => {
      const user = graph.addUser({ userPrincipalName: 'nils@kommun.se', displayName: 'Nils Ek' });
      const person = await buildDirectory().findById(user.id.toUpperCase());

      assert.equal(person?.id, user.id);
      assert.equal(person?.displayName, 'Nils Ek');
      assert.deepEqual([...(graph.requests[0]?.select ?? [])].sort(), [...USER_SELECT].sort());
    });

    it('reports a disabled account as not enabled', async () => {
      graph.addUser({ userPrincipalName: 'gone@kommun.se', accountEnabled: false });
      const person = await buildDirectory().findByUpn('gone@kommun.se');
      assert.equal(person?.accountEnabled, false);
    });

    it('answers undefined for a deleted user', async () => {
      graph.addUser({ userPrincipalName: 'left@kommun.se' });
      graph.deleteUser('left@kommun.se');
      assert.equal(await buildDirectory().findByUpn('left@kommun.se'), undefined);
    });

    it('answers undefined for a user Graph never knew', async () => {
      assert.equal(await buildDirectory().findById('5b1e0f6a-0000-4000-8000-000000000000'), undefined);
    });
  });

  describe('managerOf', () => {
    it('returns the manager, selecting only the user fields', async () => {
      graph.addUser({ userPrincipalName: 'chef@kommun.se', displayName: 'Karin Chef' });
      graph.addUser({ userPrincipalName: 'anna@kommun.se' });
      graph.setManager('anna@kommun.se', 'chef@kommun.se');
      const manager = await buildDirectory().managerOf('anna@kommun.se');

      assert.equal(manager?.upn, 'chef@kommun.se');
      assert.equal(graph.requests[0]?.path, '/users/anna@kommun.se/manager');
      assert.deepEqual([...(graph.requests[0]?.select ?? [])].sort(), [...USER_SELECT].sort());
    });

    it('answers undefined when the user has no manager', async () => {
      graph.addUser({ userPrincipalName: 'top@kommun.se' });
      assert.equal(await buildDirectory().managerOf('top@kommun.se'), undefined);
    });
  });

  describe('statusOf', () => {
    it('reports found, enabled and not out of office for an ordinary user', async () => {
      graph.addUser({ userPrincipalName: 'anna@kommun.se' });
      const statuses = await buildDirectory().statusOf(['anna@kommun.se']);
      assert.deepEqual(statuses.get('anna@kommun.se'), {
        upn: 'anna@kommun.se',
        found: true,
        accountEnabled: true,
        outOfOffice: false,
      });
    });

    it('reports a disabled account and a deleted user', async () => {
      graph.addUser({ userPrincipalName: 'disabled@kommun.se', accountEnabled: false });
      graph.addUser({ userPrincipalName: 'deleted@kommun.se' });
      graph.deleteUser('deleted@kommun.se');
      const statuses = await buildDirectory().statusOf(['disabled@kommun.se', 'deleted@kommun.se']);

      assert.equal(statuses.get('disabled@kommun.se')?.found, true);
      assert.equal(statuses.get('disabled@kommun.se')?.accountEnabled, false);
      assert.equal(statuses.get('deleted@kommun.se')?.found, false);
    });

    it('keys the result by the UPNs as the caller wrote them', async () => {
      graph.addUser({ userPrincipalName: 'anna@kommun.se' });
      const statuses = await buildDirectory().statusOf(['Anna@Kommun.se']);
      assert.equal(statuses.get('Anna@Kommun.se')?.upn, 'anna@kommun.se');
    });

    it('asks for the user fields by $select inside the batch', async () => {
      graph.addUser({ userPrincipalName: 'anna@kommun.se' });
      await buildDirectory().statusOf(['anna@kommun.se']);
      const inner = graph.requests.find((r) => r.inBatch && r.path === '/users/anna@kommun.se');
      assert.deepEqual([...(inner?.select ?? [])].sort(), [...USER_SELECT].sort());
    });

    it('reports always-on automatic replies as out of office with no end', async () => {
      graph.addUser({ userPrincipalName: 'away@kommun.se' });
      graph.setOutOfOffice('away@kommun.se');
      const status = (await buildDirectory().statusOf(['away@kommun.se'])).get('away@kommun.se');
      assert.equal(status?.outOfOffice, true);
      assert.equal(status?.outOfOfficeUntil, undefined);
    });

    it('reports scheduled automatic replies as out of office inside the window, with its end', async () => {
      graph.addUser({ userPrincipalName: 'away@kommun.se' });
      graph.setOutOfOffice('away@kommun.se', {
        start: new Date('2030-02-20T00:00:00Z'),
        end: new Date('2030-03-10T06:00:00Z'),
      });
      const status = (await buildDirectory().statusOf(['away@kommun.se'])).get('away@kommun.se');
      assert.equal(status?.outOfOffice, true);
      assert.equal(status?.outOfOfficeUntil, '2030-03-10T06:00:00.000Z');
    });

    it('does not count scheduled automatic replies before or after the window', async () => {
      graph.addUser({ userPrincipalName: 'later@kommun.se' });
      graph.addUser({ userPrincipalName: 'earlier@kommun.se' });
      graph.setOutOfOffice('later@kommun.se', {
        start: new Date('2030-03-02T00:00:00Z'),
        end: new Date('2030-03-09T00:00:00Z'),
      });
      graph.setOutOfOffice('earlier@kommun.se', {
        start: new Date('2030-02-01T00:00:00Z'),
        end: new Date('2030-03-01T12:00:00Z'),
      });
      const statuses = await buildDirectory().statusOf(['later@kommun.se', 'earlier@kommun.se']);
      assert.equal(statuses.get('later@kommun.se')?.outOfOffice, false);
      assert.equal(statuses.get('earlier@kommun.se')?.outOfOffice, false);
      assert.equal(statuses.get('earlier@kommun.se')?.outOfOfficeUntil, undefined);
    });

    it('treats a mailbox it may not read as not out of office', async () => {
      graph.addUser({ userPrincipalName: 'locked@kommun.se' });
      graph.setOutOfOffice('locked@kommun.se');
      graph.setMailboxError('locked@kommun.se', 403);
      const status = (await buildDirectory().statusOf(['locked@kommun.se'])).get('locked@kommun.se');
      assert.equal(status?.found, true);
      assert.equal(status?.outOfOffice, false);
    });

    it('splits more than ten people into several batches of at most 20 requests', async () => {
      const upns = Array.from({ length: 25 }, (_, i) => `person${i}@kommun.se`);
      for (const upn of upns) graph.addUser({ userPrincipalName: upn });
      const statuses = await buildDirectory().statusOf(upns);

      assert.deepEqual(
        [...graph.batchSizes()].sort((a, b) => b - a),
        [20, 20, 10],
      );
      assert.equal(statuses.size, 25);
      assert.ok(
        upns.every((upn) => statuses.get(upn)?.found === true),
        'upns.every((upn) => statuses.get(upn)?.found === true)',
      );
    });

    it('asks Graph nothing for an empty list', async () => {
      const statuses = await buildDirectory().statusOf([]);
      assert.equal(statuses.size, 0);
      assert.deepEqual(graph.requests, []);
    });
  });

  describe('throttling', () => {
    it('retries a throttled plain call and succeeds', async () => {
      graph.addUser({ userPrincipalName: 'anna@kommun.se' });
      graph.throttleNextRequests(1, 0);
      const person = await buildDirectory().findByUpn('anna@kommun.se');

      assert.equal(person?.upn, 'anna@kommun.se');
      assert.deepEqual(
        userRequests().map((r) => r.status),
        [429, 200],
      );
    });

    it('re-sends only the throttled requests of a batch after their Retry-After, and succeeds', async () => {
      graph.addUser({ userPrincipalName: 'a@kommun.se' });
      graph.addUser({ userPrincipalName: 'b@kommun.se', accountEnabled: false });
      graph.throttleNextBatchItems(2, 1);
      const statuses = await buildDirectory().statusOf(['a@kommun.se', 'b@kommun.se']);

      assert.deepEqual(graph.batchSizes(), [4, 2]);
      assert.deepEqual(waits, [1000]);
      assert.equal(statuses.get('a@kommun.se')?.found, true);
      assert.equal(statuses.get('b@kommun.se')?.accountEnabled, false);
    });

    it('gives up with DirectoryUnavailable when a batch stays throttled', async () => {
      graph.addUser({ userPrincipalName: 'a@kommun.se' });
      graph.throttleNextBatchItems(1000, 1);
      await assert.rejects(buildDirectory().statusOf(['a@kommun.se']), isUnavailable);
      assert.equal(waits.length, 3);
    });

    it('does not wait out a Retry-After longer than it may hold up an answer', async () => {
      graph.addUser({ userPrincipalName: 'a@kommun.se' });
      graph.throttleNextBatchItems(2, 120);
      await assert.rejects(buildDirectory().statusOf(['a@kommun.se']), isUnavailable);
      assert.deepEqual(waits, []);
    });
  });

  describe('cache', () => {
    it('answers a repeated lookup within the TTL without calling Graph', async () => {
      graph.addUser({ userPrincipalName: 'anna@kommun.se' });
      const directory = buildDirectory({ cacheTtlSeconds: 60 });
      await directory.findByUpn('anna@kommun.se');
      clock = new Date(clock.getTime() + 59_000);
      graph.setDisabled('anna@kommun.se');
      const again = await directory.findByUpn('anna@kommun.se');

      assert.equal(again?.accountEnabled, true);
      assert.equal(userRequests().length, 1);
    });

    it('calls Graph again once the TTL has passed', async () => {
      graph.addUser({ userPrincipalName: 'anna@kommun.se' });
      const directory = buildDirectory({ cacheTtlSeconds: 60 });
      await directory.findByUpn('anna@kommun.se');
      clock = new Date(clock.getTime() + 60_000);
      graph.setDisabled('anna@kommun.se');
      const again = await directory.findByUpn('anna@kommun.se');

      assert.equal(again?.accountEnabled, false);
      assert.equal(userRequests().length, 2);
    });

    it('remembers a user who does not exist', async () => {
      const directory = buildDirectory();
      await directory.findByUpn('nobody@kommun.se');
      await directory.findByUpn('nobody@kommun.se');
      assert.equal(graph.requests.length, 1);
    });

    it('batches only the people whose status is not cached', async () => {
      graph.addUser({ userPrincipalName: 'a@kommun.se' });
      graph.addUser({ userPrincipalName: 'b@kommun.se' });
      const directory = buildDirectory();
      await directory.statusOf(['a@kommun.se']);
      graph.clearRequests();
      const statuses = await directory.statusOf(['a@kommun.se', 'b@kommun.se']);

      assert.deepEqual(graph.batchSizes(), [2]);
      assert.ok(
        graph.requests.every((r) => !r.path.startsWith('/users/a@')),
        "graph.requests.every((r) => !r.path.startsWith('/users/a@'))",
      );
      assert.equal(statuses.size, 2);
    });

    it('serves a lookup by object id from a status fetched by UPN', async () => {
      const user = graph.addUser({ userPrincipalName: 'a@kommun.se' });
      const directory = buildDirectory();
      await directory.statusOf(['a@kommun.se']);
      graph.clearRequests();
      const person = await directory.findById(user.id);

      assert.equal(person?.upn, 'a@kommun.se');
      assert.deepEqual(graph.requests, []);
    });
  });

  describe('failures', () => {
    it('throws DirectoryUnavailable when Graph cannot be reached', async () => {
      const baseUrl = graph.baseUrl;
      await graph.close();
      graph = await FakeGraphServer.start();
      const directory = buildDirectory({}, baseUrl);

      await assert.rejects(directory.findByUpn('anna@kommun.se'), isUnavailable);
      await assert.rejects(directory.statusOf(['anna@kommun.se']), isUnavailable);
    });

    it('throws DirectoryUnavailable when Graph keeps answering 500', async () => {
      graph.addUser({ userPrincipalName: 'anna@kommun.se' });
      graph.failAll(500);
      const directory = buildDirectory();

      await assert.rejects(directory.findByUpn('anna@kommun.se'), isUnavailable);
      await assert.rejects(directory.statusOf(['anna@kommun.se']), isUnavailable);
      await assert.rejects(directory.managerOf('anna@kommun.se'), isUnavailable);
    });

    it('does not cache a failure', async () => {
      graph.addUser({ userPrincipalName: 'anna@kommun.se' });
      graph.failAll(500);
      const directory = buildDirectory();
      await assert.rejects(directory.findByUpn('anna@kommun.se'), isUnavailable);
      graph.failAll(undefined);
      assert.equal((await directory.findByUpn('anna@kommun.se'))?.upn, 'anna@kommun.se');
    });

    it('throws DirectoryUnavailable when the token is refused', async () => {
      credential = new FakeTokenCredential('wrong-token');
      graph.addUser({ userPrincipalName: 'anna@kommun.se' });
      await assert.rejects(buildDirectory().findByUpn('anna@kommun.se'), isUnavailable);
    });

    it('throws DirectoryUnavailable when Graph does not answer within the timeout', async () => {
      graph.addUser({ userPrincipalName: 'anna@kommun.se' });
      graph.hang();
      const directory = buildDirectory({ timeoutMs: 150 });

      await assert.rejects(directory.findByUpn('anna@kommun.se'), (error: unknown) => {
        assert.ok(isUnavailable(error), 'isUnavailable(error)');
        assert.match((error as Error).message, /no answer within 150 ms/);
        return true;
      });
      await assert.rejects(directory.statusOf(['anna@kommun.se']), isUnavailable);
      assert.deepEqual(
        graph.requests.map((r) => r.status),
        [0, 0],
      );
    });
  });
});

describe('toInstant', () => {
  it('reads a UTC date-time with seven fractional digits', () => {
    assert.equal(
      toInstant({ dateTime: '2030-01-01T08:00:00.0000000', timeZone: 'UTC' })?.toISOString(),
      '2030-01-01T08:00:00.000Z',
    );
  });

  it('reads a Windows time-zone name as the Nordic wall clock, summer time included', () => {
    assert.equal(
      toInstant({
        dateTime: '2030-06-01T08:00:00.0000000',
        timeZone: 'W. Europe Standard Time',
      })?.toISOString(),
      '2030-06-01T06:00:00.000Z',
    );
  });

  it('reads an IANA time zone', () => {
    assert.equal(
      toInstant({ dateTime: '2030-01-15T08:30:00', timeZone: 'Europe/Oslo' })?.toISOString(),
      '2030-01-15T07:30:00.000Z',
    );
  });

  it('answers undefined for a value it cannot read', () => {
    assert.equal(toInstant({ dateTime: 'next Tuesday', timeZone: 'UTC' }), undefined);
  });
});
