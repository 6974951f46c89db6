// Producer and consumer spans for Kafka, with W3C trace context carried in message headers.
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';

const tracer = trace.getTracer('@complaints/platform/kafka');

export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

/** The current trace context as headers, for storing beside an outbox event. */
export function currentTraceCarrier(ctx: Context = context.active()): TraceCarrier {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return { traceparent: carrier.traceparent, tracestate: carrier.tracestate };
}

export function contextFromCarrier(carrier: TraceCarrier): Context {
  const headers: Record<string, string> = {};
  if (carrier.traceparent) headers.traceparent = carrier.traceparent;
  if (carrier.tracestate) headers.tracestate = carrier.tracestate;
  return propagation.extract(ROOT_CONTEXT, headers);
}

/** Starts a PRODUCER span as a child of the event's own trace and returns headers that continue it. */
export function startPublishSpan(
  topic: string,
  key: string,
  carrier: TraceCarrier,
): { span: Span; headers: Record<string, string> } {
  const parent = contextFromCarrier(carrier);
  const span = tracer.startSpan(
    `send ${topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'send',
        'messaging.destination.name': topic,
        'messaging.kafka.message.key': key,
      },
    },
    parent,
  );
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), headers);
  return { span, headers };
}

function headerText(value: IHeaders[string]): string | undefined {
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

export function carrierFromHeaders(headers: IHeaders | undefined): TraceCarrier {
  return { traceparent: headerText(headers?.traceparent), tracestate: headerText(headers?.tracestate) };
}

/** Runs a message handler inside a CONSUMER span parented to the trace in the message headers. */
export async function withProcessSpan<T>(
  topic: string,
  groupId: string,
  headers: IHeaders | undefined,
  attributes: Record<string, string | number>,
  work: () => Promise<T>,
): Promise<T> {
  const parent = contextFromCarrier(carrierFromHeaders(headers));
  const span = tracer.startSpan(
    `process ${topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': topic,
        'messaging.consumer.group.name': groupId,
        ...attributes,
      },
    },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), work);
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}
