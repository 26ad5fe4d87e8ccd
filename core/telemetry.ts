import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import {
  metrics,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Counter,
  type Histogram,
  type ObservableResult,
  type Span,
} from '@opentelemetry/api';
import type { TurnLogFields } from './logger.js';

/**
 * What Ansvar measures, through the OpenTelemetry API only: turns (latency per intent and per card verb), decisions,
 * outbox delivery delay and backlog, Microsoft Graph calls (429s, retries) and store writes. Every floor records
 * here with one line; none knows whether anything is exported.
 *
 * Off by default and free when off: until the process entry starts an SDK (bot/telemetry.ts, only when an exporter
 * is configured) and calls `enableTelemetry`, every function here is a flag check and a direct call of the work, so
 * the hot path allocates no span, no context and no attribute object. The flag lives on `globalThis`, like the
 * logger, so a module evaluated twice (CommonJS and ESM copies under mocha with tsx) shares it.
 *
 * No personal data: attributes carry ids, intents, verbs, outcomes, status codes and file names, never a name, a
 * UPN, a message text or an error message (errors are recorded by their name or catalogue code).
 */

const SCOPE = 'ansvar';

/** Seconds; the OpenTelemetry HTTP semantic conventions' boundaries, for turns, Graph calls and store writes. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
/** Seconds from a notice's creation to its delivery: from "at once" to a day of retries. */
const DELAY_BUCKETS = [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600, 14400, 86400];

interface Instruments {
  turnDuration: Histogram;
  decisions: Counter;
  outboxDelay: Histogram;
  graphDuration: Histogram;
  graphThrottled: Counter;
  graphRetries: Counter;
  storeWriteDuration: Histogram;
}

/** What a running turn has learnt about itself by the time it ends (its intent or verb). */
interface TurnRecord {
  span: Span;
  labels: Attributes;
}

const slot = Symbol.for('ansvar.telemetry');
const holder = globalThis as typeof globalThis & {
  [slot]?: { instruments?: Instruments; turns: AsyncLocalStorage<TurnRecord> };
};
const state = (holder[slot] ??= { turns: new AsyncLocalStorage<TurnRecord>() });

/**
 * Turns recording on. Called once by the SDK start-up after it registered the global tracer and meter providers:
 * the API's meters are no-ops unless created after that, so the instruments are made here.
 */
export function enableTelemetry(): void {
  const meter = metrics.getMeter(SCOPE);
  const seconds = (description: string, buckets: number[]) => ({
    unit: 's',
    description,
    advice: { explicitBucketBoundaries: buckets },
  });
  state.instruments = {
    turnDuration: meter.createHistogram(
      'ansvar.turn.duration',
      seconds(
        'Time to handle one incoming activity, by activity type and intent or card verb',
        LATENCY_BUCKETS,
      ),
    ),
    decisions: meter.createCounter('ansvar.decisions', {
      description: 'Decisions on requests (approve/reject) and outcomes of work steps (done/failed)',
    }),
    outboxDelay: meter.createHistogram(
      'ansvar.outbox.delay',
      seconds('Age of an outbox notice when its delivery settled, by outcome', DELAY_BUCKETS),
    ),
    graphDuration: meter.createHistogram(
      'ansvar.graph.request.duration',
      seconds('One HTTP attempt to Microsoft Graph, by method and status', LATENCY_BUCKETS),
    ),
    graphThrottled: meter.createCounter('ansvar.graph.throttled', {
      description: 'Microsoft Graph answers with 429 Too Many Requests',
    }),
    graphRetries: meter.createCounter('ansvar.graph.retries', {
      description: 'Microsoft Graph requests sent again by the retry handler',
    }),
    storeWriteDuration: meter.createHistogram(
      'ansvar.store.write.duration',
      seconds('One durable store write (a file append or replace, a database transaction)', LATENCY_BUCKETS),
    ),
  };
}

/** Turns recording off again (the SDK was shut down). */
export function disableTelemetry(): void {
  state.instruments = undefined;
}

export function telemetryEnabled(): boolean {
  return state.instruments !== undefined;
}

function tracer() {
  return trace.getTracer(SCOPE);
}

/** An error as an attribute value: its catalogue code or class name, never its message. */
function errorType(error: unknown): string {
  if (error !== null && typeof error === 'object') {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string') return name;
  }
  return 'unknown';
}

/**
 * Runs `work` in a span named `name` and calls `done` with the seconds it took and its error, if any. The span is
 * the active one while `work` runs, so what `work` measures becomes its child.
 */
async function inSpan<T>(
  name: string,
  kind: SpanKind,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
  done: (seconds: number, error: unknown, span: Span) => void,
): Promise<T> {
  return tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    const started = performance.now();
    let failure: unknown;
    try {
      return await work(span);
    } catch (error) {
      failure = error;
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.setAttribute('error.type', errorType(error));
      throw error;
    } finally {
      done((performance.now() - started) / 1000, failure, span);
      span.end();
    }
  });
}

/**
 * One incoming activity's turn, from both hosts: a server span `ansvar.turn` with the ids (never the text), and its
 * duration in `ansvar.turn.duration` with what `nameTurn` learnt (the intent or verb) and the outcome. `ids` are the
 * turn's log fields, given to `withTurnLogFields`: the span's trace id is added to them.
 */
export function measureTurn<T>(
  activityType: string | undefined,
  ids: TurnLogFields,
  work: () => Promise<T>,
): Promise<T> {
  const instruments = state.instruments;
  if (instruments === undefined) return work();
  const labels: Attributes = { 'ansvar.activity.type': activityType ?? 'unknown' };
  return inSpan(
    'ansvar.turn',
    SpanKind.SERVER,
    {
      ...labels,
      ...(ids.activityId === undefined ? {} : { 'ansvar.activity.id': ids.activityId }),
      ...(ids.conversationId === undefined ? {} : { 'ansvar.conversation.id': ids.conversationId }),
    },
    (span) => {
      // `ids` is the turn's log fields object (core/logger.ts): its lines carry the trace id from here on.
      ids.traceId = span.spanContext().traceId;
      return state.turns.run({ span, labels }, work);
    },
    (seconds, error) =>
      instruments.turnDuration.record(seconds, {
        ...labels,
        'ansvar.outcome': error === undefined ? 'ok' : 'error',
      }),
  );
}

/** Names what the running turn is about (`intent` for a message, `verb` for a card action), for its span and metric. */
export function nameTurn(about: { intent: string } | { verb: string }): void {
  const turn = state.instruments === undefined ? undefined : state.turns.getStore();
  if (turn === undefined) return;
  const [key, value] = 'intent' in about ? ['ansvar.intent', about.intent] : ['ansvar.verb', about.verb];
  turn.labels[key] = value;
  turn.span.setAttribute(key, value);
}

/** A decision or work step settled: `outcome` approved / rejected / done / failed; `kind` the request kind. */
export function countDecision(outcome: string, kind: string): void {
  state.instruments?.decisions.add(1, { 'ansvar.decision.outcome': outcome, 'ansvar.request.kind': kind });
}

/**
 * An outbox notice created at `createdAt` (ISO) settled an attempt with `outcome` (delivered, deferred, ...) at
 * `nowMs`: its delivery delay.
 */
export function recordOutboxDelay(createdAt: string, outcome: string, nowMs: number): void {
  const instruments = state.instruments;
  if (instruments === undefined) return;
  const seconds = (nowMs - Date.parse(createdAt)) / 1000;
  if (Number.isFinite(seconds))
    instruments.outboxDelay.record(Math.max(0, seconds), { 'ansvar.outbox.outcome': outcome });
}

/**
 * Reports the age in seconds of the oldest undelivered outbox notice as the gauge `ansvar.outbox.oldest_pending_age`
 * (0 when none is pending), asked of `oldestCreatedAt` when the metrics are collected, not on any hot path. Returns
 * the function that stops it (the app closes its store).
 */
export function observeOutboxBacklog(
  oldestCreatedAt: () => Promise<string | undefined>,
  now: () => Date,
): () => void {
  if (state.instruments === undefined) return () => undefined;
  const gauge = metrics.getMeter(SCOPE).createObservableGauge('ansvar.outbox.oldest_pending_age', {
    unit: 's',
    description: 'Age of the oldest outbox notice not yet delivered (0: none pending)',
  });
  const observe = async (result: ObservableResult) => {
    const createdAt = await oldestCreatedAt();
    const age = createdAt === undefined ? 0 : (now().getTime() - Date.parse(createdAt)) / 1000;
    result.observe(Math.max(0, Number.isFinite(age) ? age : 0));
  };
  gauge.addCallback(observe);
  return () => gauge.removeCallback(observe);
}

/**
 * One HTTP attempt to Microsoft Graph (the retry handler's retries are attempts of their own): a client span and its
 * duration by method and status; a 429 counts as throttled, a retried attempt as a retry. `resource` is the first
 * path segment after the version (`users`, `$batch`), never the rest of the path (it can hold a UPN).
 */
export function measureGraphAttempt(
  request: { method: string; resource: string; retry: boolean },
  work: () => Promise<number | undefined>,
): Promise<number | undefined> {
  const instruments = state.instruments;
  if (instruments === undefined) return work();
  const labels: Attributes = {
    'http.request.method': request.method,
    'ansvar.graph.resource': request.resource,
    'ansvar.graph.retry': request.retry,
  };
  let status: number | undefined;
  return inSpan(
    `graph ${request.method} ${request.resource}`,
    SpanKind.CLIENT,
    labels,
    async (span) => {
      status = await work();
      if (status !== undefined) span.setAttribute('http.response.status_code', status);
      if (status !== undefined && status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
      return status;
    },
    (seconds, error) => {
      instruments.graphDuration.record(seconds, {
        ...labels,
        ...(status === undefined
          ? { 'error.type': errorType(error) }
          : { 'http.response.status_code': status }),
      });
      if (status === 429) instruments.graphThrottled.add(1, { 'ansvar.graph.resource': request.resource });
      if (request.retry) instruments.graphRetries.add(1, { 'ansvar.graph.resource': request.resource });
    },
  );
}

/**
 * One round of a `$batch` call's inner answers (Graph throttles them inside a 200, so the attempt above sees none):
 * each 429 counts as throttled, and each inner request of a round after the first as a retry, under the resource
 * `$batch:item`.
 */
export function recordGraphBatchItems(responses: ReadonlyArray<{ status: number }>, retry: boolean): void {
  const instruments = state.instruments;
  if (instruments === undefined) return;
  const labels = { 'ansvar.graph.resource': '$batch:item' };
  const throttled = responses.filter((r) => r.status === 429).length;
  if (throttled > 0) instruments.graphThrottled.add(throttled, labels);
  if (retry) instruments.graphRetries.add(responses.length, labels);
}

/** One durable write: `backend` lowdb or postgres, `target` the file's base name or the operation. */
export function measureStoreWrite<T>(backend: string, target: string, work: () => Promise<T>): Promise<T> {
  const instruments = state.instruments;
  if (instruments === undefined) return work();
  const labels: Attributes = { 'ansvar.store.backend': backend, 'ansvar.store.target': target };
  return inSpan(`store write ${target}`, SpanKind.INTERNAL, labels, work, (seconds, error) =>
    instruments.storeWriteDuration.record(seconds, {
      ...labels,
      'ansvar.outcome': error === undefined ? 'ok' : 'error',
    }),
  );
}
