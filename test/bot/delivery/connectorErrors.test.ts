import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { classifyConnectorError } from '../../../bot/delivery/connectorErrors.js';

/**
 * The Agents SDK's connector client is a plain fetch (agents-hosting httpClient.js): a connection that never opens
 * or that is cut reaches connectorErrors.ts as undici's "fetch failed" with the socket error as its cause. These are
 * the real errors, from fetch against loopback; the HTTP answers (429, 403, 404, 500) are covered end to end in
 * senderHttp.test.ts on both hosts.
 */

async function fetchError(url: string): Promise<unknown> {
  try {
    await fetch(url, { method: 'POST', body: '{}' });
  } catch (error) {
    return error;
  }
  throw new Error('fetch did not fail');
}

describe('classifyConnectorError on fetch failures (the Agents SDK host)', () => {
  it('a refused connection was certainly not sent', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    assert.deepEqual(classifyConnectorError(await fetchError(`http://127.0.0.1:${port}/v3`)), {
      kind: 'notSent',
      code: 'ECONNREFUSED',
    });
  });

  it('a connection cut after the request arrived may have been accepted (unknown)', async () => {
    const server = http.createServer((req) => req.socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const failure = classifyConnectorError(await fetchError(`http://127.0.0.1:${port}/v3`));
      assert.equal(failure.kind, 'unknown');
      assert.equal(failure.code, 'UND_ERR_SOCKET');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
