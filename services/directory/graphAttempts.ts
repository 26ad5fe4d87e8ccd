import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { measureGraphAttempt } from '../../core/telemetry.js';

/**
 * Graph client middleware, after the RetryHandler: each HTTP attempt to Graph goes through core/telemetry.ts
 * (duration by method and status, 429s, retries). The RetryHandler marks a retried request with `Retry-Attempt`.
 * Only the method and the resource (the first path segment after the version) are recorded, never the rest of the
 * path: it can hold a UPN.
 */
export class GraphAttempts implements Middleware {
  private next?: Middleware;

  async execute(context: Context): Promise<void> {
    const next = this.next;
    if (next === undefined) throw new Error('GraphAttempts must not be the last middleware');
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const method = (
      (typeof context.request === 'string' ? undefined : context.request.method) ??
      context.options?.method ??
      'GET'
    ).toUpperCase();
    await measureGraphAttempt(
      { method, resource: resourceOf(url), retry: retryAttempt(context) },
      async () => {
        await next.execute(context);
        return context.response?.status;
      },
    );
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** `users` in https://graph.microsoft.com/v1.0/users/x@y/memberOf; `unknown` when there is no version segment. */
function resourceOf(url: string): string {
  const segments = new URL(url, 'http://unknown').pathname.split('/').filter((s) => s !== '');
  const version = segments.findIndex((s) => s === 'v1.0' || s === 'beta');
  const resource = version < 0 ? undefined : segments[version + 1];
  return resource === undefined ? 'unknown' : resource.replace(/\(.*$/, '');
}

function retryAttempt(context: Context): boolean {
  if (typeof context.request !== 'string' && context.request.headers.has('Retry-Attempt')) return true;
  return new Headers(context.options?.headers).has('Retry-Attempt');
}
