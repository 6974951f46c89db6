// Imported first by integration tests: spans go to memory, as in production the SDK is loaded before anything else.
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { startTelemetry } from '@complaints/platform/telemetry';

export const spans = new InMemorySpanExporter();
export const telemetry = startTelemetry({ serviceName: 'feedback-test', exporter: spans });
