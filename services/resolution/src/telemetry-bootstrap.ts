// Starts OpenTelemetry as a side effect; imported first by main.ts so later requires are instrumented.
import { startTelemetry, type Telemetry } from '@complaints/platform/telemetry';

export const telemetry: Telemetry | undefined =
  process.env.OTEL_ENABLED === 'false'
    ? undefined
    : startTelemetry({
        serviceName: 'resolution',
        otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
      });
