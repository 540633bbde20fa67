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
import { hostname } from 'node:os';
import { createApp } from './app.js';
import { fileSinkPath, geoDatabaseConfigError } from './config/load.js';
import { startMattermostConfigSync } from './config/mattermost-plugin-settings.js';
import { RuntimeConfigStore } from './config/runtime-store.js';
import type { Settings } from './config/schema.js';
import { enrichmentConfig, type EnrichmentReport } from './enrich/index.js';
import { requireAccess, requireToken } from './http-auth.js';
import { listenHttp } from './http-server.js';
import { InFlightBudget } from './inputs/in-flight-budget.js';
import { INPUT_KINDS, InputSupervisor, switchedOn } from './inputs/index.js';
import type { Logger } from './logger.js';
import { AuditQueue } from './queue/audit-queue.js';
import { startAuditWorker, type AuditWorker } from './queue/audit-worker.js';
import { ConfigChangeRelay } from './queue/config-change-relay.js';
import { BatchDelivery } from './queue/batch-delivery.js';
import { DirectDelivery } from './queue/direct-delivery.js';
import { TransformPool } from './queue/transform-pool.js';
import { DeadLetters } from './queue/dead-letters.js';
import { redisKeys } from './queue/keys.js';
import { connectRedis, ErrorLogThrottle, RedisUnavailableError, redisDurabilityWarnings, untilReady } from './queue/redis-connection.js';
import { ReplicaAcks } from './queue/replica-acks.js';
import { ElasticsearchSink } from './sinks/elasticsearch.js';
import { SinkProvider } from './sinks/sink-provider.js';
import { describeLeftOut } from './sinks/template-fit.js';
import { logEffectiveConfig } from './effective-config-log.js';
import { Activity } from './status/activity.js';
import { createMetricsRegistry } from './status/metrics.js';
import { StartupState } from './status/startup-state.js';
import { StatusReader } from './status/status-report.js';
import { openGeoLookup } from './transform/index.js';

const STOP_GRACE_MS = 10_000;
const HARD_STOP_AFTER_GRACE_MS = 5_000;

export interface Forwarder {
  port: number;
  stop(): Promise<void>;
}

export interface ForwarderOptions {
  /** The settings the environment set (environmentSettings): where each runtime setting comes from. */
  fromEnvironment?: ReadonlySet<string>;
}

export async function startForwarder(settings: Settings, logger: Logger, options: ForwarderOptions = {}): Promise<Forwarder> {
  const keys = redisKeys(settings.QUEUE_PREFIX);
  const requests = connectRedis(settings, 'requests', { failFast: true }, logger);
  const producer = connectRedis(settings, 'producer', { failFast: true, extraTimeoutMs: settings.REDIS_WAIT_TIMEOUT_MS }, logger);
  const replicas = new ReplicaAcks(producer, { minReplicas: settings.REDIS_MIN_REPLICAS, timeoutMs: settings.REDIS_WAIT_TIMEOUT_MS, slotKey: keys.pendingTotal });
  const startup = new StartupState();

  const config = new RuntimeConfigStore(requests, keys, settings, options.fromEnvironment);
  const sinkPath = fileSinkPath(settings);
  const sinks = new SinkProvider(config, sinkPath);
  const activity = new Activity(requests, keys);
  const queueErrors = new ErrorLogThrottle(logger, { 'event.module': 'queue' });
  const queue = new AuditQueue({
    connection: producer, reads: requests, prefix: settings.QUEUE_PREFIX, keys, batchSize: settings.BATCH_SIZE, attempts: settings.JOB_ATTEMPTS, replicas,
    onError: (error) => queueErrors.error(error, 'queue error'),
  });
  const deadLetters = new DeadLetters(requests, keys.deadLetters);
  // The forwarder's own audit records of its config changes, queued from every process.
  const configChanges = new ConfigChangeRelay(requests, keys, queue, logger);
  const geoDatabases = { cityDb: settings.GEOIP_CITY_DB, asnDb: settings.GEOIP_ASN_DB };
  // Opened here too when threads do the lookups: a bad path stops the start with a clear error.
  const geo = await openGeoLookup(geoDatabases).catch((error: unknown) => {
    throw geoDatabaseConfigError(error, settings);
  });
  const takesRecords = settings.ROLE !== 'worker';
  // Direct file delivery needs the sink in this process: ROLE=api leaves the sink to the workers.
  const direct = settings.ROLE === 'all' && settings.AUDIT_LOG_PATHS !== undefined && settings.AUDIT_LOG_DELIVERY === 'direct';
  const transforms = settings.ROLE !== 'api' || direct;
  // The delivery side (worker and direct file delivery) waits Redis out on its own connection.
  const patient = transforms ? connectRedis(settings, 'worker', { failFast: false }, logger) : undefined;
  const workerConfig = patient && new RuntimeConfigStore(patient, keys, settings, options.fromEnvironment);
  const workerSinks = workerConfig && new SinkProvider(workerConfig, sinkPath);
  const workerDeadLetters = patient && new DeadLetters(patient, keys.deadLetters);
  const enrichment = enrichmentConfig(settings);
  const enriches = transforms && enrichment.enabled;
  const pool = transforms ? new TransformPool(settings.TRANSFORM_THREADS, geoDatabases, geo, logger, enrichment.enabled ? { settings: enrichment.settings, report: enrichmentReporter(activity, logger) } : undefined) : undefined;
  const delivery = pool && patient && workerSinks && workerDeadLetters && new BatchDelivery({
    sinks: workerSinks, pool, deadLetters: workerDeadLetters, activity: new Activity(patient, keys), logger,
    maxRecordBytes: settings.MAX_RECORD_BYTES, maxRecordDepth: settings.MAX_RECORD_DEPTH,
  });
  const directDelivery = direct && delivery ? new DirectDelivery(delivery, settings.BATCH_SIZE, logger) : undefined;

  // What the webhook and the TCP input hold before Redis has it, under one bound.
  const budget = new InFlightBudget(settings.MAX_IN_FLIGHT_BYTES);
  let inputs: InputSupervisor | undefined;
  let pluginSettings: ReturnType<typeof startMattermostConfigSync> | undefined;
  const status = new StatusReader({
    role: settings.ROLE, highWaterMark: settings.QUEUE_HIGH_WATER_MARK, queue, deadLetters, activity, sinks, config, replicas,
    inputDetails: () => inputs?.status() ?? {}, pluginSettings: () => ({ ...(pluginSettings?.status() ?? { enabled: false }) }),
    enrichment: enriches && enrichment.enabled ? { enabled: true, target: enrichment.target }
      : { enabled: false, reason: enrichment.enabled ? `ROLE=${settings.ROLE}: the worker processes name ids` : enrichment.reason },
  });
  const webhookKind = INPUT_KINDS.find((kind) => kind.name === 'http')!;
  const ingestToken = async () => {
    try {
      return (await config.effective()).settings.INGEST_TOKEN;
    } catch (error) {
      throw new RedisUnavailableError(error);
    }
  };
  const app = createApp({
    logger,
    siteUrl: settings.MATTERMOST_SITE_URL,
    webhook: settings.ROLE === 'worker' ? undefined : {
      queue, activity, budget, maxBodyBytes: settings.MAX_BODY_BYTES, maxRecordBytes: settings.MAX_RECORD_BYTES, highWaterMark: settings.QUEUE_HIGH_WATER_MARK,
      switchedOn: async () => switchedOn(webhookKind, (await config.effective()).settings),
    },
    status: {
      redis: requests, status, metrics: createMetricsRegistry(status), config, queue, deadLetters, fileSinkPath: sinkPath, startup,
      onConfigChanged: () => {
        inputs?.kick();
        void configChanges.kick();
      },
    },
    ingestAuth: requireToken(ingestToken, 'ingest', settings.MATTERMOST_SITE_URL),
    readAuth: requireAccess({ admin: settings.ADMIN_TOKEN, status: settings.STATUS_TOKEN }, 'read', settings.MATTERMOST_SITE_URL),
    changeAuth: requireAccess({ admin: settings.ADMIN_TOKEN, status: settings.STATUS_TOKEN }, 'change', settings.MATTERMOST_SITE_URL),
  });
  const { server, port, scheme } = await listenHttp(app, settings, logger);
  logger.info({ 'server.address': settings.HOST, 'server.port': port, 'url.scheme': scheme, 'service.type': settings.ROLE }, 'forwarder listening');

  // Everything below needs Redis: wait for it (the HTTP side answers meanwhile).
  startup.waitingFor('redis');
  const waitingLog = setTimeout(() => logger.warn('Redis not reachable yet: /healthz answers, the webhook and /readyz answer 503 until it is'), 2000);
  const connections = [requests, producer, ...(patient ? [patient] : [])];
  await Promise.all(connections.map((connection) => untilReady(connection)));
  clearTimeout(waitingLog);
  for (const warning of await redisDurabilityWarnings(requests)) logger.warn(warning);
  // The System Console stays the one place to configure, even when no browser saved since a restart.
  pluginSettings = settings.ROLE === 'worker' ? undefined : startMattermostConfigSync({ settings, store: config, logger });
  configChanges.start();

  logEffectiveConfig(logger, { config: await config.effective(), environment: settings, fromEnvironment: options.fromEnvironment, fileSinkPath: sinkPath, writesToSink: transforms });
  if (transforms && workerSinks) {
    startup.waitingFor('sink');
    const { sink } = await workerSinks.current();
    if (sink instanceof ElasticsearchSink) {
      await sink.prepare().then(
        ({ version, leftOut, notes }) => {
          const target = { 'service.target.type': 'elasticsearch', 'service.target.version': version };
          logger.info(target, `Elasticsearch ${version} reached; index template in place`);
          if (leftOut.length > 0) logger.warn(target, `index template fitted to the cluster: ${describeLeftOut(leftOut)}`);
          for (const note of notes) logger.warn(target, note);
        },
        (error: unknown) => logger.warn({ 'error.message': (error as Error).message }, 'Elasticsearch not reachable yet: records wait in the queue (or their file)'),
      );
    }
  }
  let worker: AuditWorker | undefined;
  if (settings.ROLE !== 'api' && delivery && patient && workerDeadLetters) {
    worker = startAuditWorker({
      connection: patient, prefix: settings.QUEUE_PREFIX, keys, concurrency: settings.WORKER_CONCURRENCY, delivery, deadLetters: workerDeadLetters, logger,
    });
  }

  // File, TCP and REST inputs run where the logs are (every role that takes records in), each behind its switch.
  startup.waitingFor('inputs');
  inputs = takesRecords ? new InputSupervisor({
    config, logger,
    context: { settings, queue, fileDestination: directDelivery ?? queue, activity, redis: producer, replicas, requests, keys, logger, hostName: settings.HOST_NAME ?? hostname(), budget },
  }) : undefined;
  await inputs?.start();
  if (!(await config.effective()).settings.INGEST_TOKEN) logger.warn('INGEST_TOKEN is not set: POST /v1/audit accepts local clients only');
  if (!settings.ADMIN_TOKEN) logger.warn('ADMIN_TOKEN is not set: config changes accept local clients only');
  if (settings.ADMIN_TOKEN && !settings.STATUS_TOKEN) logger.info('STATUS_TOKEN is not set: status and config are read with the admin token only');
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
      // BullMQ's Worker.close can still wait for connections that will not come back: the stop
      // ends anyway, a little later, rather than leave a process that ignores SIGTERM.
      let hardStop: NodeJS.Timeout | undefined;
      const abandoned = new Promise<'abandoned'>((resolve) => {
        hardStop = setTimeout(() => resolve('abandoned'), STOP_GRACE_MS + HARD_STOP_AFTER_GRACE_MS);
      });
      const outcome = await Promise.race([closeAll(), abandoned]);
      clearTimeout(giveUp);
      clearTimeout(hardStop);
      if (outcome === 'abandoned') logger.warn('stopped before the queue worker let go of Redis: its unfinished batches go out again after the restart');
      logger.info('forwarder stopped');
    })();
    return stopping;
  };
  const closeAll = async (): Promise<'closed'> => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // Inputs first: they save their checkpoints once the queue (or the sink) has everything they
    // read. A direct delivery waiting out an outage gives up: its lines stay after the checkpoint.
    directDelivery?.stop();
    await inputs?.stop();
    // Active batches finish (the sink acknowledges them) before the worker lets go of Redis.
    await worker?.close();
    await pool?.close();
    await closed;
    await pluginSettings?.stop();
    await configChanges.stop();
    await queue.close();
    await sinks.close();
    await workerSinks?.close();
    await Promise.all(connections.map((connection) => connection.quit().catch(() => connection.disconnect())));
    return 'closed';
  };
  return { port, stop };
}

const REPEAT_LOG_MS = 60_000;

/** Enrichment reports of every thread → the status counters in Redis, and a warning per new error (once a minute). */
function enrichmentReporter(activity: Activity, logger: Logger): (delta: EnrichmentReport) => void {
  let logged: { message: string; at: number } | undefined;
  return (delta) => {
    activity.recordEnrichment(delta).catch((err: unknown) => logger.warn({ err }, 'cannot record the enrichment counters'));
    const message = delta.lastError;
    if (message === undefined || (message === logged?.message && Date.now() - logged.at < REPEAT_LOG_MS)) return;
    logged = { message, at: Date.now() };
    logger.warn({ 'error.message': message }, 'cannot name ids from Mattermost: documents go on with the names known so far');
  };
}
