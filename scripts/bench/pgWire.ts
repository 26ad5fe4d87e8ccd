import net from 'node:net';

/**
 * A loopback TCP proxy in front of PostgreSQL that counts what the clients send, for figures that do not depend on
 * the machine's load: round trips (a simple Query, or a Sync ending an extended-protocol batch: each waits for the
 * server's ReadyForQuery) and statements (simple Queries and Executes). The servers under test connect through it
 * (their DATABASE_URL names its port); bytes are passed on unchanged in both directions.
 */
export interface WireCounts {
  roundTrips: number;
  statements: number;
}

export interface WireCounter {
  port: number;
  counts(): WireCounts;
  close(): Promise<void>;
}

export async function startWireCounter(upstreamHost: string, upstreamPort: number): Promise<WireCounter> {
  const totals: WireCounts = { roundTrips: 0, statements: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, upstreamHost);
    sockets.add(client).add(upstream);
    let pending: Buffer = Buffer.alloc(0);
    // The startup message (and an SSL or cancel request) has no type byte; every later message has one.
    let started = false;
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      for (;;) {
        const header = started ? 5 : 4;
        if (pending.length < header) break;
        const length = started ? pending.readInt32BE(1) + 1 : pending.readInt32BE(0);
        if (pending.length < length) break;
        if (started) {
          const type = String.fromCharCode(pending[0]!);
          if (type === 'Q') {
            totals.roundTrips += 1;
            totals.statements += 1;
          } else if (type === 'S') totals.roundTrips += 1;
          else if (type === 'E') totals.statements += 1;
        } else if (pending.readInt32BE(4) === 196608) {
          started = true; // protocol 3.0 startup; an SSLRequest (80877103) is followed by another startup
        }
        pending = pending.subarray(length);
      }
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    counts: () => ({ ...totals }),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
