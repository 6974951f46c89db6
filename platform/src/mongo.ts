// One mongoose connection per service; writes are acknowledged by a majority and journalled before we answer.
import mongoose, { type Connection } from 'mongoose';
import type { Logger } from './logger';

export async function connectMongo(uri: string, logger: Logger): Promise<Connection> {
  const log = logger.child({ component: 'mongo' });
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: 5000,
    writeConcern: { w: 'majority', journal: true },
    autoIndex: true,
  });
  connection.on('disconnected', () => log.warn('disconnected'));
  connection.on('reconnected', () => log.info('reconnected'));
  await connection.asPromise();
  log.info({ db: connection.name }, 'connected');
  return connection;
}

export async function pingMongo(connection: Connection): Promise<boolean> {
  try {
    if (connection.readyState !== mongoose.ConnectionStates.connected || !connection.db) return false;
    await connection.db.admin().command({ ping: 1 });
    return true;
  } catch {
    return false;
  }
}

/** MongoDB's duplicate-key error: how a deterministic _id turns a retry into a no-op. */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: number }).code === 11000;
}
