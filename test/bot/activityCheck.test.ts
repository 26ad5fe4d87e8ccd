import assert from 'node:assert/strict';
import { checkActivity } from '../../bot/activityCheck.js';
import { channelMessage, postActivity } from '../../fakes/channelClient.js';
import { HOSTS, useTestServer } from '../fixtures/testServer.js';

const common = {
  serviceUrl: 'http://127.0.0.1:9',
  from: { id: '29:anna' },
  recipient: { id: '28:bot' },
  conversation: { id: 'a:anna' },
};

describe('checkActivity', () => {
  it("checks a known type's own fields and the common ones in the same pass", () => {
    const result = checkActivity({ ...common, type: 'message', text: 42, from: { id: 7 } });
    assert.equal(result.ok, false);
    assert.deepEqual(result.ok === false && [...result.problems].sort(), [
      'from.id: Invalid input: expected string, received number',
      'text: Invalid input: expected string, received number',
    ]);
  });

  it('takes a type named like a member of Object (constructor, toString, __proto__) as an unknown type', () => {
    for (const type of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const result = checkActivity({ ...common, type });
      assert.equal(result.ok, true, type);
    }
  });
});

for (const host of HOSTS)
  describe(`an activity whose type is an Object member, over HTTP (${host} host)`, () => {
    const server = useTestServer({ host, app: () => ({}) });

    it('is run as an unknown type (200), never a 500', async () => {
      for (const type of ['constructor', 'toString']) {
        const res = await postActivity(
          server.app.url,
          channelMessage({ serviceUrl: server.connector.serviceUrl, type }),
        );
        assert.equal(res.status, 200, type);
      }
    });
  });
