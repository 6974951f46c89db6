// Imported first by integration tests: spans go to memory.
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { startTelemetry } from '@complaints/platform/telemetry';

export const spans = new InMemorySpanExporter();
export const telemetry = startTelemetry({ serviceName: 'routing-test', exporter: spans });
