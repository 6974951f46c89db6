// Imported first: spans of every in-process service go to memory (must load before express, mongodb and http).
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { startTelemetry } from '@complaints/platform/telemetry';

export const spans = new InMemorySpanExporter();
export const telemetry = startTelemetry({ serviceName: 'all-services-test', exporter: spans });
