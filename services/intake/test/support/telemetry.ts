// Imported first by integration tests: spans go to memory so a test can follow a complaint's trace.
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { startTelemetry } from '@complaints/platform/telemetry';

export const spans = new InMemorySpanExporter();
export const telemetry = startTelemetry({ serviceName: 'intake-test', exporter: spans });
