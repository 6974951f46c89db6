// Example integrator: subscribes to complaints.resolved.v1 with kafkajs, validates each CloudEvent, dedupes on its id.
//
//   KAFKA_BROKERS=127.0.0.1:9092 GROUP_ID=acme-billing npx tsx docs/integrators/resolved-subscriber.ts
//
// Copy it into your own project: it needs kafkajs, ajv and ajv-formats, and the JSON Schema
// contracts/generated/schemas/events/complaints.resolved.v1.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { Kafka, logLevel } from 'kafkajs';

const TOPIC = 'complaints.resolved.v1';
const SCHEMA_FILE =
  process.env.SCHEMA_FILE ??
  join(__dirname, '..', '..', 'contracts', 'generated', 'schemas', 'events', `${TOPIC}.json`);

/** The fields of complaints.resolved.v1 this example uses; the schema file has them all. */
interface ComplaintResolved {
  complaintId: string;
  workOrderId: string;
  attempt: number;
  resolvedAt: string;
  resolutionCode: string;
  assetOwner: 'utility' | 'customer';
  charge: { decision: 'free' | 'paid'; reason: string };
  onTime: boolean;
  incidentId?: string;
  terminated?: boolean;
}

interface CloudEvent<T> {
  specversion: '1.0';
  id: string;
  type: string;
  source: string;
  subject: string;
  time: string;
  data: T;
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const isResolvedEvent = ajv.compile<CloudEvent<ComplaintResolved>>(
  JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object,
);

/**
 * Delivery is at least once: the same event (same CloudEvents id) can arrive twice. Keep the ids you have
 * applied in the same store and transaction as your own effect; this in-memory set only shows where.
 */
const applied = new Set<string>();

function handle(event: CloudEvent<ComplaintResolved>): Promise<void> {
  if (applied.has(event.id)) return Promise.resolve();
  const { complaintId, attempt, charge, assetOwner, terminated, incidentId } = event.data;
  // Your effect goes here, e.g. raise an invoice for paid service.
  console.log(
    `${event.time} ${complaintId} attempt ${attempt}: ${terminated ? 'terminated' : 'resolved'}, ` +
      `${charge.decision} (${assetOwner}-owned asset)${incidentId ? `, incident ${incidentId}` : ''}`,
  );
  applied.add(event.id);
  return Promise.resolve();
}

async function main(): Promise<void> {
  const kafka = new Kafka({
    clientId: process.env.CLIENT_ID ?? 'resolved-subscriber-example',
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    logLevel: logLevel.WARN,
  });
  // One group per integrating system: its instances share the partitions, other systems get their own copy.
  const consumer = kafka.consumer({ groupId: process.env.GROUP_ID ?? 'resolved-subscriber-example' });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: process.env.FROM_BEGINNING === 'true' });
  await consumer.run({
    // Messages of one key (the complaint id) arrive in order; the offset is committed after handle() returns.
    eachMessage: async ({ partition, message }) => {
      let value: unknown;
      let problem: string | undefined;
      try {
        value = JSON.parse(message.value?.toString('utf8') ?? '');
        if (!isResolvedEvent(value)) problem = ajv.errorsText(isResolvedEvent.errors);
      } catch (error) {
        problem = `not JSON: ${(error as Error).message}`;
      }
      if (problem !== undefined || !isResolvedEvent(value)) {
        // Never block the partition on one bad message: park it (your own dead-letter store) and move on.
        console.error(`skipping offset ${message.offset} on partition ${partition}: ${problem}`);
        return;
      }
      await handle(value);
    },
  });

  const stop = async () => {
    await consumer.disconnect();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
