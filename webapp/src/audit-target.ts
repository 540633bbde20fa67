/**
 * The Mattermost side of the TCP input: an Advanced Logging target in
 * ExperimentalAuditSettings.AdvancedLoggingJSON (mattermost/mattermost model/config.go) that
 * sends the four audit levels as JSON lines to the forwarder. Its options are logr's TcpOptions
 * (mattermost/logr targets/tcp.go): the target dials `ip` (`host` only passes validation), so
 * both are set. Pure: the wiring action and its tests use these.
 */

/** The target's name in AdvancedLoggingJSON: ours is replaced, every other target is kept. */
export const TARGET_NAME = 'mattermost-audit-elastic';

/** mlog's audit levels (server/public/shared/mlog/levels.go). */
export const AUDIT_LEVELS = [
  { ID: 100, Name: 'audit-api' },
  { ID: 101, Name: 'audit-content' },
  { ID: 102, Name: 'audit-permissions' },
  { ID: 103, Name: 'audit-cli' },
] as const;

export interface TcpEndpoint {
  host: string;
  port: number;
  tls: boolean;
}

export type LoggingTargets = Record<string, unknown>;

export function auditTarget(endpoint: TcpEndpoint): Record<string, unknown> {
  return {
    Type: 'tcp',
    Format: 'json',
    Levels: AUDIT_LEVELS.map((level) => ({ ...level })),
    Options: { ip: endpoint.host, host: endpoint.host, port: endpoint.port, tls: endpoint.tls },
    MaxQueueSize: 1000,
  };
}

/** AdvancedLoggingJSON as Mattermost may hold it: targets (an object, or JSON in a string), or the name of a file of them. */
export type AdvancedLogging = { kind: 'targets'; targets: LoggingTargets } | { kind: 'file'; path: string } | { kind: 'invalid'; reason: string };

export function parseAdvancedLogging(value: unknown): AdvancedLogging {
  if (value === undefined || value === null || value === '') return { kind: 'targets', targets: {} };
  if (typeof value === 'object' && !Array.isArray(value)) return { kind: 'targets', targets: value as LoggingTargets };
  if (typeof value !== 'string') return { kind: 'invalid', reason: `expected a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}` };
  const text = value.trim();
  if (!text.startsWith('{')) return { kind: 'file', path: text };
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return { kind: 'targets', targets: parsed as LoggingTargets };
    return { kind: 'invalid', reason: 'the JSON is not an object of targets' };
  } catch (error) {
    return { kind: 'invalid', reason: `it is not valid JSON (${(error as Error).message})` };
  }
}

/** The targets with ours added or replaced; the admin's other targets untouched, in their order. */
export function withAuditTarget(targets: LoggingTargets, endpoint: TcpEndpoint): LoggingTargets {
  return { ...targets, [TARGET_NAME]: auditTarget(endpoint) };
}

/** The names of the targets besides ours. */
export function otherTargets(targets: LoggingTargets): string[] {
  return Object.keys(targets).filter((name) => name !== TARGET_NAME);
}

// The client licence (GET /api/v4/license/client) has no AdvancedLogging feature; the SKUs of
// Mattermost's Enterprise tier (Enterprise, Enterprise Advanced, Entry and the legacy E20) carry it.
const ADVANCED_LOGGING_SKUS = new Set(['enterprise', 'advanced', 'entry', 'e20']);

export type LicenceVerdict = { allows: true; sku: string } | { allows: false; reason: string };

export function advancedLoggingLicence(license: Record<string, string> | undefined): LicenceVerdict {
  if (license?.IsLicensed !== 'true') return { allows: false, reason: 'this server has no Mattermost licence' };
  const sku = license.SkuShortName ?? '';
  if (ADVANCED_LOGGING_SKUS.has(sku.toLowerCase())) return { allows: true, sku };
  return { allows: false, reason: `this server's licence (${sku || 'unknown plan'}) does not include Advanced Logging` };
}

/** The target alone, as MM_EXPERIMENTALAUDITSETTINGS_ADDITIONAL takes it (Mattermost adds it whatever the licence). */
export function additionalAuditEnv(endpoint: TcpEndpoint): string {
  return `MM_EXPERIMENTALAUDITSETTINGS_ADDITIONAL='${JSON.stringify({ [TARGET_NAME]: auditTarget(endpoint) })}'`;
}

/** host:port from a listen address ("0.0.0.0:5514", "[::]:5514"), for its port. */
export function portOf(address: string | undefined): number | undefined {
  const match = address?.match(/:(\d{1,5})$/);
  const port = match ? Number(match[1]) : NaN;
  return port > 0 && port < 65536 ? port : undefined;
}
