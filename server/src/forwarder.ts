/**
 * Wires one forwarder process: Redis, queue, worker (ROLE all|worker), HTTP (webhook for
 * ROLE all|api; status everywhere), and stops it gracefully: no new requests, in-flight batches
 * finished, connections closed.
 *
 * HTTP listens before Redis is reached: /healthz answers at once (status "starting" until the
 * rest is up), /readyz and the webhook answer 503 while Redis is away. Three Redis connections:
 * `requests` (status, config, counters, the poll lease) and `producer` (enqueues and checkpoints,
 * each confirmed by the replicas) fail fast; `worker` waits out any outage (see redis-connection.ts).
 */
import type { Server } from 'node:http';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { createApp } from './app.js';
import { fileSinkPath } from './config/load.js';
import { startMattermostConfigSync } from './config/mattermost-plugin-settings.js';
import { RuntimeConfigStore } from './config/runtime-store.js';
import type { Settings } from './config/schema.js';
import { requireToken } from './http-auth.js';
import { createInputs } from './inputs/index.js';
import type { Input } from './inputs/input.js';
import type { Logger } from './logger.js';
import { AuditQueue } from './queue/audit-queue.js';
import { startAuditWorker, type AuditWorker } from './queue/audit-worker.js';
import { BatchDelivery } from './queue/batch-delivery.js';
import { DirectDelivery } from './queue/direct-delivery.js';
import { TransformPool } from './queue/transform-pool.js';
import { DeadLetters } from './queue/dead-letters.js';
import { redisKeys } from './queue/keys.js';
import { connectRedis, ErrorLogThrottle, RedisUnavailableError, redisDurabilityWarnings, untilReady } from './queue/redis-connection.js';
import { ReplicaAcks } from './queue/replica-acks.js';
import { ElasticsearchSink } from './sinks/elasticsearch.js';
import { SinkProvider } from './sinks/sink-provider.js';
import { Activity } from './status/activity.js';
import { createMetricsRegistry } from './status/metrics.js';
import { StartupState } from './status/startup-state.js';
import { StatusReader } from './status/status-report.js';
import { openGeoLookup } from './transform/index.js';

const STOP_GRACE_MS = 10_000;

export interface Forwarder {
  port: number;
  stop(): Promise<void>;
}

export async function startForwarder(settings: Settings, logger: Logger): Promise<Forwarder> {
  const keys = redisKeys(settings.QUEUE_PREFIX);
  const requests = connectRedis(settings, 'requests', { failFast: true }, logger);
  const producer = connectRedis(settings, 'producer', { failFast: true, extraTimeoutMs: settings.REDIS_WAIT_TIMEOUT_MS }, logger);
  const replicas = new ReplicaAcks(producer, { minReplicas: settings.REDIS_MIN_REPLICAS, timeoutMs: settings.REDIS_WAIT_TIMEOUT_MS, slotKey: keys.pendingTotal });
  const startup = new StartupState();

  const config = new RuntimeConfigStore(requests, keys, settings);
  const sinkPath = fileSinkPath(settings);
  const sinks = new SinkProvider(config, sinkPath);
  const activity = new Activity(requests, keys);
  const queueErrors = new ErrorLogThrottle(logger, { 'event.module': 'queue' });
  const queue = new AuditQueue({
    connection: producer, reads: requests, prefix: settings.QUEUE_PREFIX, keys, batchSize: settings.BATCH_SIZE, attempts: settings.JOB_ATTEMPTS, replicas,
    onError: (error) => queueErrors.error(error, 'queue error'),
  });
  const deadLetters = new DeadLetters(requests, keys.deadLetters);
  const geoDatabases = { cityDb: settings.GEOIP_CITY_DB, asnDb: settings.GEOIP_ASN_DB };
  // Opened here too when threads do the lookups: a bad path stops the start with a clear error.
  const geo = await openGeoLookup(geoDatabases);
  const takesRecords = settings.ROLE !== 'worker';
  // Direct file delivery needs the sink in this process: ROLE=api leaves the sink to the workers.
  const direct = settings.ROLE === 'all' && settings.AUDIT_LOG_PATHS !== undefined && settings.AUDIT_LOG_DELIVERY === 'direct';
  const transforms = settings.ROLE !== 'api' || direct;
  // The delivery side (worker and direct file delivery) waits Redis out on its own connection.
  const patient = transforms ? connectRedis(settings, 'worker', { failFast: false }, logger) : undefined;
  const workerConfig = patient && new RuntimeConfigStore(patient, keys, settings);
  const workerSinks = workerConfig && new SinkProvider(workerConfig, sinkPath);
  const workerDeadLetters = patient && new DeadLetters(patient, keys.deadLetters);
  const pool = transforms ? new TransformPool(settings.TRANSFORM_THREADS, geoDatabases, geo, logger) : undefined;
  const delivery = pool && patient && workerSinks && workerDeadLetters && new BatchDelivery({
    sinks: workerSinks, pool, deadLetters: workerDeadLetters, activity: new Activity(patient, keys), logger, maxRecordBytes: settings.MAX_RECORD_BYTES,
  });
  const directDelivery = direct && delivery ? new DirectDelivery(delivery, settings.BATCH_SIZE, logger) : undefined;

  let inputs: Input[] = [];
  const inputDetails = () => Object.fromEntries(inputs.map((input) => [input.name, input.status()]));
  const status = new StatusReader({ role: settings.ROLE, highWaterMark: settings.QUEUE_HIGH_WATER_MARK, queue, deadLetters, activity, sinks, config, inputDetails, replicas });
  const app = createApp({
    logger,
    siteUrl: settings.MATTERMOST_SITE_URL,
    webhook: settings.ROLE === 'worker' ? undefined : {
      queue, activity, maxBodyBytes: settings.MAX_BODY_BYTES, maxRecordBytes: settings.MAX_RECORD_BYTES, highWaterMark: settings.QUEUE_HIGH_WATER_MARK,
    },
    status: { redis: requests, status, metrics: createMetricsRegistry(status), config, queue, deadLetters, fileSinkPath: sinkPath, startup },
    ingestAuth: requireToken(async () => {
      try {
        return (await config.effective()).settings.INGEST_TOKEN;
      } catch (error) {
        throw new RedisUnavailableError(error);
      }
    }, 'ingest'),
    adminAuth: requireToken(() => settings.ADMIN_TOKEN, 'admin'),
  });
  const server: Server = app.listen(settings.PORT, settings.HOST);
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.PORT;
  logger.info({ 'server.address': settings.HOST, 'server.port': port, 'service.type': settings.ROLE }, 'forwarder listening');

  // Everything below needs Redis: wait for it (the HTTP side answers meanwhile).
  startup.waitingFor('redis');
  const waitingLog = setTimeout(() => logger.warn('Redis not reachable yet: /healthz answers, the webhook and /readyz answer 503 until it is'), 2000);
  const connections = [requests, producer, ...(patient ? [patient] : [])];
  await Promise.all(connections.map((connection) => untilReady(connection)));
  clearTimeout(waitingLog);
  for (const warning of await redisDurabilityWarnings(requests)) logger.warn(warning);
  // The System Console stays the one place to configure, even when no browser saved since a restart.
  const pluginSettings = settings.ROLE === 'worker' ? undefined : startMattermostConfigSync({ settings, store: config, logger });

  if (transforms && workerSinks) {
    startup.waitingFor('sink');
    const { sink } = await workerSinks.current();
    if (sink instanceof ElasticsearchSink) {
      await sink.prepare().then(
        (version) => logger.info({ 'service.version': version }, 'Elasticsearch reached; index template in place'),
        (error: unknown) => logger.warn({ err: error }, 'Elasticsearch not reachable yet: records wait in the queue (or their file)'),
      );
    } else {
      logger.info({ 'file.path': sinkPath }, 'no ELASTICSEARCH_URL: writing NDJSON to the file sink');
    }
  }
  let worker: AuditWorker | undefined;
  if (settings.ROLE !== 'api' && delivery && patient && workerDeadLetters) {
    worker = startAuditWorker({
      connection: patient, prefix: settings.QUEUE_PREFIX, keys, concurrency: settings.WORKER_CONCURRENCY, delivery, deadLetters: workerDeadLetters, logger,
    });
  }

  // File and TCP inputs run where the logs are: every role that takes records in.
  startup.waitingFor('inputs');
  inputs = takesRecords ? createInputs({
    settings, queue, fileDestination: directDelivery ?? queue, activity, redis: producer, replicas, requests, keys, logger, hostName: settings.HOST_NAME ?? hostname(),
  }) : [];
  for (const input of inputs) await input.start();
  if (!(await config.effective()).settings.INGEST_TOKEN) logger.warn('INGEST_TOKEN is not set: POST /v1/audit accepts local clients only');
  if (!settings.ADMIN_TOKEN) logger.warn('ADMIN_TOKEN is not set: status and config accept local clients only');
  startup.started();
  logger.info('forwarder started');

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      // With Redis away, what waits for it (a batch's last writes, the inputs' checkpoints) would
      // wait for ever: after a grace it is given up, and such batches are delivered again later.
      const giveUp = setTimeout(() => {
        logger.warn({ 'event.duration': STOP_GRACE_MS * 1e6 }, 'stopping without waiting for Redis any longer: unfinished batches go out again after the restart');
        for (const connection of connections) connection.disconnect();
      }, STOP_GRACE_MS);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Inputs first: they save their checkpoints once the queue (or the sink) has everything they
      // read. A direct delivery waiting out an outage gives up: its lines stay after the checkpoint.
      directDelivery?.stop();
      await Promise.all(inputs.map((input) => input.stop()));
      // Active batches finish (the sink acknowledges them) before the worker lets go of Redis.
      await worker?.close();
      await pool?.close();
      await closed;
      await pluginSettings?.stop();
      await queue.close();
      await sinks.close();
      await workerSinks?.close();
      await Promise.all(connections.map((connection) => connection.quit().catch(() => connection.disconnect())));
      clearTimeout(giveUp);
      logger.info('forwarder stopped');
    })();
    return stopping;
  };
  return { port, stop };
}
