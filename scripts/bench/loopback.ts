import { randomUUID } from 'node:crypto';
import http from 'node:http';

/**
 * A keep-alive agent for the bench's clients that closes a connection idle for 4 s, before the server does. Node's
 * server announces `Keep-Alive: timeout=5` and closes an idle connection 1 s after that; Node 20's agent honours the
 * announcement only when it has a timeout of its own, and without one keeps idle sockets for ever. A request then
 * written on a socket the server is closing (an idle pause of the bench, such as the wait for the submitted request
 * to settle, ending at that moment) fails with ECONNRESET: that was the client's fault, not the server's.
 */
export function keepAliveAgent(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, timeout: 4_000 });
}

/** When each socket last finished a response: an error on a reused socket says how long it had been idle. */
const lastUsed = new WeakMap<object, number>();

/** POSTs an activity to the bot's /api/messages on loopback and resolves with the status and body. */
export function postToBot(
  url: string,
  agent: http.Agent,
  body: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}/api/messages`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (res) => {
        // Taken now: by 'end' the socket may be back in the agent's pool and no longer the response's.
        const socket = res.socket;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          lastUsed.set(socket, Date.now());
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() });
        });
      },
    );
    req.on('error', (error: Error) => {
      const since = req.reusedSocket && req.socket ? lastUsed.get(req.socket) : undefined;
      if (since !== undefined) error.message += ` (a kept-alive connection, idle ${Date.now() - since} ms)`;
      reject(error);
    });
    req.end(body);
  });
}

/** A loopback connector that answers every outbound call with an id (replies and proactive sends of the bot). */
export async function startSink(): Promise<{ serviceUrl: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `sink-${randomUUID()}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    serviceUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
