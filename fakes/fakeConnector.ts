import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MicrosoftAppCredentials, PasswordServiceClientCredentialFactory } from 'botframework-connector';

/**
 * A loopback Bot Connector: the service URL the bot replies to in tests. It records every activity the bot sends
 * or updates and answers like the channel does (`{id}`), so tests assert on what a user would see.
 *
 * Routes (anything else is 404 and recorded nowhere):
 *   POST /v3/conversations                                   create a conversation → {id: 'conversation-N'}
 *   POST /v3/conversations/:conversationId/activities        send → {id: 'activity-N'}
 *   POST /v3/conversations/:conversationId/activities/:id    reply to :id → {id: 'activity-N'}
 *   PUT  /v3/conversations/:conversationId/activities/:id    update :id → {id: ':id'}
 */

export interface RecordedCall {
  kind: 'createConversation' | 'send' | 'reply' | 'update';
  /** Empty for createConversation. */
  conversationId: string;
  /** reply: the activity replied to; update: the activity replaced. */
  activityId?: string;
  /** The id the fake answered with. */
  responseId: string;
  /** The JSON body as sent (an Activity, or ConversationParameters for createConversation). */
  body: Record<string, unknown>;
  authorization?: string;
  /** The request as it came over the wire: request line target, headers in order (name, value, ...), body bytes. */
  raw: { method: string; url: string; headers: string[]; body: Buffer };
}

export interface FakeConnector {
  /** `http://127.0.0.1:<port>`: use as the activity's serviceUrl (and the token's `serviceurl` claim). */
  serviceUrl: string;
  /** Every recorded call, oldest first. */
  readonly calls: readonly RecordedCall[];
  /** The activities the bot sent or replied with (not updates), oldest first. */
  readonly activities: readonly Record<string, unknown>[];
  /** Resolves once at least `count` calls are recorded (rejects after `timeoutMs`, default 5 s). */
  waitForCalls(count: number, timeoutMs?: number): Promise<readonly RecordedCall[]>;
  /**
   * The next matching request (by route; with `conversationId`, only a call to that conversation) is answered with
   * `status`, `body` and `headers` (e.g. Retry-After) instead, once, and recorded too.
   */
  failNext(status: number, body?: unknown, options?: FailureOptions): void;
  /** The next matching request is recorded and its connection cut without an answer (a dropped connection). */
  dropNext(): void;
  reset(): void;
  close(): Promise<void>;
}

export interface FailureOptions {
  conversationId?: string;
  headers?: Record<string, string>;
}

/** Outbound credentials for tests: the bot's app id is accepted, and no token is ever fetched from Entra. */
export class LoopbackCredentialsFactory extends PasswordServiceClientCredentialFactory {
  constructor(appId: string) {
    super(appId, 'not-a-secret');
  }

  override async createCredentials(): Promise<MicrosoftAppCredentials> {
    return MicrosoftAppCredentials.Empty;
  }
}

export async function startFakeConnector(): Promise<FakeConnector> {
  const calls: RecordedCall[] = [];
  const failures: (({ status: number; body?: unknown } & FailureOptions) | 'drop')[] = [];
  let waiters: { count: number; resolve: () => void }[] = [];
  let seq = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { ...headers, 'content-type': 'application/json' });
        res.end(JSON.stringify(body ?? {}));
      };
      const route = matchRoute(req.method ?? '', new URL(req.url ?? '/', 'http://fake').pathname);
      if (route === undefined) return send(404, { error: { code: 'NotFound', message: 'no such route' } });
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        return send(400, { error: { code: 'BadSyntax', message: 'invalid JSON' } });
      }
      seq += 1;
      const responseId =
        route.kind === 'createConversation'
          ? `conversation-${seq}`
          : route.kind === 'update'
            ? (route.activityId ?? '')
            : `activity-${seq}`;
      const raw = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.rawHeaders,
        body: Buffer.concat(chunks),
      };
      calls.push({ ...route, responseId, body, authorization: req.headers.authorization, raw });
      waiters = waiters.filter((w) => (calls.length >= w.count ? (w.resolve(), false) : true));
      const at = failures.findIndex(
        (f) => f === 'drop' || f.conversationId === undefined || f.conversationId === route.conversationId,
      );
      const failure = at < 0 ? undefined : failures.splice(at, 1)[0]!;
      if (failure === 'drop') return req.socket.destroy();
      if (failure) return send(failure.status, failure.body, failure.headers);
      send(200, { id: responseId });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    serviceUrl,
    calls,
    get activities() {
      return calls.filter((c) => c.kind === 'send' || c.kind === 'reply').map((c) => c.body);
    },
    waitForCalls(count, timeoutMs = 5000) {
      if (calls.length >= count) return Promise.resolve(calls);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`fake connector: expected ${count} calls, got ${calls.length}`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(calls);
          },
        });
      });
    },
    failNext(status, body, options = {}) {
      failures.push({ status, body, ...options });
    },
    dropNext() {
      failures.push('drop');
    },
    reset() {
      calls.length = 0;
      failures.length = 0;
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function matchRoute(
  method: string,
  pathname: string,
): Pick<RecordedCall, 'kind' | 'conversationId' | 'activityId'> | undefined {
  // The connector client joins the service URL and the path; tolerate a doubled slash.
  const parts = pathname
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  if (parts[0] !== 'v3' || parts[1] !== 'conversations') return undefined;
  if (parts.length === 2 && method === 'POST') return { kind: 'createConversation', conversationId: '' };
  const [conversationId, segment, activityId] = [parts[2] ?? '', parts[3], parts[4]];
  if (segment !== 'activities' || parts.length > 5) return undefined;
  if (activityId === undefined) return method === 'POST' ? { kind: 'send', conversationId } : undefined;
  if (method === 'POST') return { kind: 'reply', conversationId, activityId };
  if (method === 'PUT') return { kind: 'update', conversationId, activityId };
  return undefined;
}
