// Imported first by integration tests: spans go to memory, as in production they would go to the collector.
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { startTelemetry } from '@complaints/platform/telemetry';

export const spans = new InMemorySpanExporter();
export const telemetry = startTelemetry({ serviceName: 'resolution-test', exporter: spans });
