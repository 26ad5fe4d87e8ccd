import { context, metrics, propagation, trace } from '@opentelemetry/api';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace-node';
import { disableTelemetry, enableTelemetry } from '../core/telemetry.js';
import type { TelemetrySettings } from '../services/infrastructure/config.js';

/**
 * Starts the OpenTelemetry SDK for the process when an exporter is configured (services/infrastructure/config.ts):
 * a tracer provider with a batch span processor and a meter provider with a periodic reader per exporter, then
 * `enableTelemetry` so core/telemetry.ts records. With no exporter nothing happens and no SDK module is loaded: the
 * SDK and the exporters are imported here, lazily, and nowhere else.
 *
 * OTLP goes over HTTP with JSON bodies (@opentelemetry/exporter-*-otlp-http, which read the standard
 * OTEL_EXPORTER_OTLP_* variables themselves); Azure Monitor through @azure/monitor-opentelemetry-exporter with the
 * connection string. The resource is service.name `ansvar` unless OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES say
 * otherwise.
 */

export interface Telemetry {
  /** Exports the spans and metrics recorded so far, now (tests; the exporters also do it on their own schedule). */
  flush(): Promise<void>;
  /** Exports what is buffered and stops; the process exits after. */
  shutdown(): Promise<void>;
}

export async function startTelemetry(settings: TelemetrySettings): Promise<Telemetry | undefined> {
  if (settings.exporters.length === 0) return undefined;
  const [traceSdk, metricsSdk, resources] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/sdk-metrics'),
    import('@opentelemetry/resources'),
  ]);
  const spanExporters: SpanExporter[] = [];
  const metricExporters: PushMetricExporter[] = [];
  for (const exporter of settings.exporters) {
    if (exporter.kind === 'otlp') {
      if (exporter.traces) {
        const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
        spanExporters.push(new OTLPTraceExporter());
      }
      if (exporter.metrics) {
        const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-http');
        metricExporters.push(new OTLPMetricExporter());
      }
    } else {
      const azure = await import('@azure/monitor-opentelemetry-exporter');
      const options = { connectionString: exporter.connectionString };
      spanExporters.push(new azure.AzureMonitorTraceExporter(options));
      metricExporters.push(new azure.AzureMonitorMetricExporter(options));
    }
  }

  const resource = resources
    .defaultResource()
    .merge(resources.resourceFromAttributes({ 'service.name': 'ansvar' }))
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const tracerProvider = new traceSdk.NodeTracerProvider({
    resource,
    spanProcessors: spanExporters.map((exporter) => new traceSdk.BatchSpanProcessor(exporter)),
  });
  // The AsyncLocalStorage context manager, so a store write or Graph call becomes a child of its turn's span.
  tracerProvider.register();
  const meterProvider = new metricsSdk.MeterProvider({
    resource,
    readers: metricExporters.map(
      (exporter) =>
        new metricsSdk.PeriodicExportingMetricReader({
          exporter,
          exportIntervalMillis: settings.metricIntervalMs,
          exportTimeoutMillis: Math.min(30_000, settings.metricIntervalMs),
        }),
    ),
  });
  metrics.setGlobalMeterProvider(meterProvider);
  enableTelemetry();

  return {
    async flush() {
      await Promise.all([tracerProvider.forceFlush(), meterProvider.forceFlush()]);
    },
    async shutdown() {
      disableTelemetry();
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
      trace.disable();
      metrics.disable();
      propagation.disable();
      context.disable();
    },
  };
}
