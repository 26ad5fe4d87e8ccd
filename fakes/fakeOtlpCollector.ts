import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for an OpenTelemetry collector's OTLP/HTTP receiver with JSON bodies
 * (OTEL_EXPORTER_OTLP_PROTOCOL=http/json): `POST /v1/traces` and `POST /v1/metrics` are answered 200 `{}` and kept,
 * flattened into spans and metric data points with their attributes as plain values, for tests to read. Point the
 * server at it with OTEL_EXPORTER_OTLP_ENDPOINT = `endpoint`.
 */

type Value = string | number | boolean;

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean };
}

export interface ReceivedSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  kind: number;
  attributes: Record<string, Value>;
  /** The service.name of the resource that sent it. */
  service: string;
}

export interface ReceivedPoint {
  metric: string;
  unit?: string;
  attributes: Record<string, Value>;
  /** A sum's or gauge's value; a histogram's count. */
  value: number;
  /** A histogram's sum. */
  sum?: number;
}

export interface FakeOtlpCollector {
  /** http://127.0.0.1:<port>, for OTEL_EXPORTER_OTLP_ENDPOINT. */
  endpoint: string;
  readonly spans: ReceivedSpan[];
  readonly points: ReceivedPoint[];
  /** Every request path and content type received, in order. */
  readonly requests: Array<{ path: string; contentType: string }>;
  /** Resolves with the first span matching `test`, received already or within `timeoutMs`. */
  waitForSpan(test: (span: ReceivedSpan) => boolean, timeoutMs?: number): Promise<ReceivedSpan>;
  waitForPoint(test: (point: ReceivedPoint) => boolean, timeoutMs?: number): Promise<ReceivedPoint>;
  close(): Promise<void>;
}

function attributesOf(list: OtlpAttribute[] | undefined): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const { key, value } of list ?? []) {
    if (value.stringValue !== undefined) out[key] = value.stringValue;
    else if (value.intValue !== undefined) out[key] = Number(value.intValue);
    else if (value.doubleValue !== undefined) out[key] = value.doubleValue;
    else if (value.boolValue !== undefined) out[key] = value.boolValue;
  }
  return out;
}

interface Resource {
  resource?: { attributes?: OtlpAttribute[] };
}

function spansOf(body: {
  resourceSpans?: Array<Resource & { scopeSpans?: Array<{ spans?: Array<Record<string, unknown>> }> }>;
}): ReceivedSpan[] {
  return (body.resourceSpans ?? []).flatMap((rs) => {
    const service = String(attributesOf(rs.resource?.attributes)['service.name'] ?? '');
    return (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((span) => ({
        name: String(span.name),
        traceId: String(span.traceId),
        spanId: String(span.spanId),
        ...(span.parentSpanId ? { parentSpanId: String(span.parentSpanId) } : {}),
        kind: Number(span.kind),
        attributes: attributesOf(span.attributes as OtlpAttribute[] | undefined),
        service,
      })),
    );
  });
}

interface OtlpPoint {
  attributes?: OtlpAttribute[];
  asInt?: string | number;
  asDouble?: number;
  count?: string | number;
  sum?: number;
}

function pointsOf(body: {
  resourceMetrics?: Array<{ scopeMetrics?: Array<{ metrics?: Array<Record<string, unknown>> }> }>;
}): ReceivedPoint[] {
  return (body.resourceMetrics ?? []).flatMap((rm) =>
    (rm.scopeMetrics ?? []).flatMap((sm) =>
      (sm.metrics ?? []).flatMap((metric) => {
        const name = String(metric.name);
        const unit = typeof metric.unit === 'string' ? metric.unit : undefined;
        const data = (metric.sum ?? metric.gauge ?? metric.histogram) as
          { dataPoints?: OtlpPoint[] } | undefined;
        return (data?.dataPoints ?? []).map((p) => ({
          metric: name,
          ...(unit === undefined ? {} : { unit }),
          attributes: attributesOf(p.attributes),
          value: Number(p.count ?? p.asInt ?? p.asDouble ?? 0),
          ...(p.sum === undefined ? {} : { sum: p.sum }),
        }));
      }),
    ),
  );
}

export async function startFakeOtlpCollector(): Promise<FakeOtlpCollector> {
  const spans: ReceivedSpan[] = [];
  const points: ReceivedPoint[] = [];
  const requests: Array<{ path: string; contentType: string }> = [];
  const waiters = new Set<() => void>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const contentType = req.headers['content-type'] ?? '';
      requests.push({ path: req.url ?? '', contentType });
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, never>;
        if (req.url === '/v1/traces') spans.push(...spansOf(body));
        else if (req.url === '/v1/metrics') points.push(...pointsOf(body));
      } catch {
        res.statusCode = 400;
        res.end();
        return;
      }
      // Not chained: restify, loaded in the same process by in-process tests, patches writeHead to return nothing.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  function waitFor<T>(list: T[], test: (item: T) => boolean, what: string, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const found = list.find(test);
        if (found === undefined) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching ${what} within ${timeoutMs} ms; received ${list.length}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  }

  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    points,
    requests,
    waitForSpan: (test, timeoutMs = 10_000) => waitFor(spans, test, 'span', timeoutMs),
    waitForPoint: (test, timeoutMs = 10_000) => waitFor(points, test, 'metric point', timeoutMs),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
