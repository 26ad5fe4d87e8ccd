import type { TokenCredential } from '@azure/identity';
import {
  Client,
  HTTPMessageHandler,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
  type AuthenticationProvider,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { GraphAttempts } from './graphAttempts.js';

/**
 * The one way Ansvar builds a Microsoft Graph client: token from `credential` for `<baseUrl>/.default`, put on
 * requests to `baseUrl`'s origin only; the client's RetryHandler retries 429/503/504 honouring Retry-After (1 s base
 * delay, 3 retries); v1.0. The client has no timeout: run every call under `withDeadline`.
 */

/** `baseUrl` without trailing slashes, e.g. https://graph.microsoft.com. */
export function normaliseGraphBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}

export function createGraphClient(baseUrl: string, credential: TokenCredential): Client {
  const base = normaliseGraphBaseUrl(baseUrl);
  const authProvider = new TokenCredentialAuthenticationProvider(credential, {
    scopes: [`${base}/.default`],
  });
  const middleware: Middleware[] = [
    new BearerForOrigin(authProvider, new URL(base).origin),
    // 1 s base delay instead of the default 3 s, so the retries of 503/504 without Retry-After fit the deadline.
    new RetryHandler(new RetryHandlerOptions(1, 3)),
    new GraphAttempts(),
    new TelemetryHandler(),
    new HTTPMessageHandler(),
  ];
  return Client.initWithMiddleware({ baseUrl: base, defaultVersion: 'v1.0', middleware });
}

/**
 * Runs `run` with an AbortSignal and a deadline of `timeoutMs` (retries included). At the deadline the request is
 * aborted and the returned promise rejects with `timeoutError()`.
 */
export async function withDeadline<T>(
  timeoutMs: number,
  run: (signal: AbortSignal) => Promise<T>,
  timeoutError: () => Error,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(timeoutError());
      controller.abort();
    }, timeoutMs);
  });
  try {
    return await Promise.race([run(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Puts the bearer token on requests to the configured Graph origin, and only there. The client's own
 * AuthenticationHandler adds it only for https Graph hosts, so a GRAPH_BASE_URL on another host (a proxy, the
 * loopback fake in tests) would be called without a token.
 */
class BearerForOrigin implements Middleware {
  private next?: Middleware;

  constructor(
    private readonly provider: AuthenticationProvider,
    private readonly origin: string,
  ) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    if (new URL(url).origin === this.origin) {
      const token = await this.provider.getAccessToken();
      const headers = new Headers(context.options?.headers);
      headers.set('Authorization', `Bearer ${token}`);
      context.options = { ...context.options, headers: Object.fromEntries(headers.entries()) };
    }
    if (this.next === undefined) throw new Error('BearerForOrigin must not be the last middleware');
    await this.next.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}
