// Structured JSON logs (pino) with the active trace id on every line and customer personal data masked.
import { trace } from '@opentelemetry/api';
import pino, { type Logger, type DestinationStream } from 'pino';
import { maskPersonalData } from './masking';

export type { Logger } from 'pino';

export interface LoggerOptions {
  service: string;
  level?: string;
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      name: options.service,
      level: options.level ?? 'info',
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Every object logged goes through the masker, so a handler cannot leak a phone number by accident.
      hooks: {
        logMethod(args, method) {
          const masked = args.map((arg) =>
            typeof arg === 'object' ? maskPersonalData(arg) : arg,
          ) as typeof args;
          method.apply(this, masked);
        },
      },
      mixin() {
        const span = trace.getActiveSpan();
        if (!span) return {};
        const { traceId, spanId } = span.spanContext();
        return { traceId, spanId };
      },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    options.destination,
  );
}
