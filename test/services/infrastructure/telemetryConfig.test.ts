import assert from 'node:assert/strict';
import { loadConfig, redactedSummary } from '../../../services/infrastructure/config.js';
import { isAnsvarError } from '../../../core/errors.js';

/** A connection string as the Application Insights resource shows it (made up; nothing is ever sent to it). */
const CONNECTION_STRING =
  'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/';

describe('telemetry settings (services/infrastructure/config)', () => {
  it('are off with nothing set: no exporter, so no SDK is started', () => {
    assert.deepEqual(loadConfig({}).telemetry, { exporters: [], metricIntervalMs: 60_000 });
  });

  it('send traces and metrics over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set, each signal alone with its own endpoint', () => {
    assert.deepEqual(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).telemetry.exporters,
      [{ kind: 'otlp', traces: true, metrics: true }],
    );
    assert.deepEqual(
      loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' }).telemetry
        .exporters,
      [{ kind: 'otlp', traces: true, metrics: false }],
    );
    assert.deepEqual(
      loadConfig({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://127.0.0.1:4318/v1/metrics' }).telemetry
        .exporters,
      [{ kind: 'otlp', traces: false, metrics: true }],
    );
  });

  it('map APPLICATIONINSIGHTS_CONNECTION_STRING to the Azure Monitor exporter, next to OTLP when both are set', () => {
    assert.deepEqual(
      loadConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING }).telemetry.exporters,
      [{ kind: 'azureMonitor', connectionString: CONNECTION_STRING }],
    );
    assert.deepEqual(
      loadConfig({
        APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING,
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      }).telemetry.exporters.map((e) => e.kind),
      ['otlp', 'azureMonitor'],
    );
  });

  it('are off with OTEL_SDK_DISABLED=true whatever else is set', () => {
    const config = loadConfig({
      OTEL_SDK_DISABLED: 'true',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING,
    });
    assert.deepEqual(config.telemetry.exporters, []);
  });

  it('take the metric export interval from OTEL_METRIC_EXPORT_INTERVAL (ms)', () => {
    assert.equal(loadConfig({ OTEL_METRIC_EXPORT_INTERVAL: '15000' }).telemetry.metricIntervalMs, 15_000);
  });

  it('refuse an OTLP protocol other than http/json with the fix, but only when OTLP is on', () => {
    assert.throws(
      () =>
        loadConfig({
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317',
          OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        }),
      (e: unknown) =>
        isAnsvarError(e, 'InvalidConfig') &&
        /OTEL_EXPORTER_OTLP_PROTOCOL: only http\/json is supported.*set http\/json/.test(e.message),
    );
    assert.deepEqual(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      }).telemetry.exporters.length,
      1,
    );
    assert.deepEqual(loadConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }).telemetry.exporters, []);
  });

  it('refuse a connection string that is not one, and an endpoint that is not a URL', () => {
    assert.throws(
      () => loadConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: 'my-key' }),
      (e: unknown) =>
        isAnsvarError(e, 'InvalidConfig') &&
        /APPLICATIONINSIGHTS_CONNECTION_STRING: must be the connection string/.test(e.message),
    );
    assert.throws(
      () => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }),
      (e: unknown) =>
        isAnsvarError(e, 'InvalidConfig') &&
        /OTEL_EXPORTER_OTLP_ENDPOINT: must be an http:\/\/ or https:\/\/ URL/.test(e.message),
    );
  });

  it('log the connection string as set, not its value', () => {
    const summary = JSON.stringify(
      redactedSummary(loadConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING })),
    );
    assert.doesNotMatch(summary, /InstrumentationKey/);
    assert.match(summary, /"azureMonitor","connectionString":"\[set\]"/);
  });
});
