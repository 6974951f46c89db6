// Runs the MongoDB router (mongo-router.ts) on its own worker thread, beside the stand-in threads it routes to.
import { workerData } from 'node:worker_threads';
import { MongoRouter } from './mongo-router';
import { servePortThread } from './port-thread';

interface Start {
  port: number;
  shardPorts: number[];
}

const { port, shardPorts } = workerData as Start;
let reported = 0;
void servePortThread('mongo-router-thread', () =>
  MongoRouter.start({
    port,
    shardPorts,
    // A client that sends a broken message loses its connection; say so, without the message's bytes.
    onProtocolError: (error) => {
      if (reported++ < 20) console.error(`local-infra: MongoDB router closed a connection: ${error.message}`);
    },
  }),
);
