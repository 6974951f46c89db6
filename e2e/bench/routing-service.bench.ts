// Routing service benchmark: routed events per second through the service, as deployed (its own process, the
// stand-ins in another). A backlog of received events is published at once; the figure is how fast
// complaints.routed.v1 events come out. Writes e2e/bench/results/routing-service.json.
// Usage: npm run bench:routing   (BENCH_COMPLAINTS, default 20000)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { TOPICS, type ComplaintReceived } from '@complaints/contracts';
import { createEvent } from '@complaints/platform';
import { machineFacts } from '@complaints/platform/testing';
import { devComplaints } from '../src/dev-set';
import { PlatformProcesses } from '../src/platform-processes';

const COMPLAINTS = Number(process.env.BENCH_COMPLAINTS ?? 20000);
const BASE_PORT = Number(process.env.BENCH_BASE_PORT ?? 4800);
const ID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function complaintId(): string {
  const bytes = randomBytes(16);
  const group = (g: number) =>
    Array.from({ length: 4 }, (_, i) => ID_ALPHABET[bytes[g * 4 + i] % 32]).join('');
  return `CMP-${group(0)}-${group(1)}-${group(2)}-${group(3)}`;
}

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(stat[11]) + Number(stat[12])) / 100;
}

async function main(): Promise<void> {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  const processes = new PlatformProcesses({ basePort: BASE_PORT });
  await processes.start(['routing']);
  try {
    const kafka = new Kafka({
      clientId: 'routing-bench',
      brokers: processes.env.KAFKA_BROKERS.split(','),
      logLevel: logLevel.NOTHING,
    });
    const texts = devComplaints();
    const events = Array.from({ length: COMPLAINTS }, (_, n) => {
      const id = complaintId();
      const complaint = texts[n % texts.length];
      const data: ComplaintReceived = {
        complaintId: id,
        channel: 'hotline',
        customer: { accountNo: String(6000000000 + (n % 50000)) },
        text: complaint.text,
        location: { transformerArea: `TA-${n % 400}`, areaType: n % 3 ? 'urban' : 'rural' },
        receivedAt: new Date().toISOString(),
      };
      const event = createEvent({
        topic: TOPICS.received,
        subject: id,
        source: '/services/intake',
        id: `${id}/received`,
        data,
      });
      return { key: id, value: JSON.stringify(event) };
    });

    let routed = 0;
    let firstAt = 0;
    let lastAt = 0;
    const consumer = kafka.consumer({ groupId: `routing-bench-${Date.now()}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPICS.routed, fromBeginning: false });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        routed += batch.messages.length;
        lastAt = performance.now();
        firstAt ||= lastAt;
        await Promise.resolve();
      },
    });
    await new Promise((r) => setTimeout(r, 4000)); // the group settles before anything is routed

    const pid = processes.pids.routing;
    const cpuBefore = cpuSeconds(pid);
    const producer = kafka.producer();
    await producer.connect();
    console.log(`publishing ${COMPLAINTS} received events, then counting routed events`);
    const started = performance.now();
    for (let i = 0; i < events.length; i += 500)
      await producer.send({ topic: TOPICS.received, messages: events.slice(i, i + 500) });
    const published = performance.now();
    await producer.disconnect();
    let lastReport = started;
    while (routed < COMPLAINTS && performance.now() - (lastAt || started) < 30000) {
      await new Promise((r) => setTimeout(r, 250));
      if (performance.now() - lastReport >= 5000) {
        lastReport = performance.now();
        console.log(`  ${routed} routed after ${((lastReport - started) / 1000).toFixed(0)} s`);
      }
    }
    const cpu = cpuSeconds(pid) - cpuBefore;
    await consumer.disconnect();
    const seconds = (lastAt - started) / 1000;
    const figures = {
      date: new Date().toISOString(),
      machine: machineFacts(),
      backend: 'local stand-ins in their own process; the routing service in its own process',
      complaints: COMPLAINTS,
      publishSeconds: +((published - started) / 1000).toFixed(2),
      routed,
      lost: COMPLAINTS - routed,
      secondsToLastRouted: +seconds.toFixed(2),
      routedPerSecond: Math.round(routed / seconds),
      routingCpuSeconds: +cpu.toFixed(2),
      routedPerRoutingCpuSecond: Math.round(routed / cpu),
    };
    console.log(JSON.stringify(figures, null, 2));
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(
      join(__dirname, 'results', 'routing-service.json'),
      `${JSON.stringify(figures, null, 2)}\n`,
    );
    console.log('wrote e2e/bench/results/routing-service.json');
    if (routed < COMPLAINTS) process.exitCode = 1;
  } finally {
    await processes.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
