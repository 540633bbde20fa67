/**
 * "Send this server's audit records to the forwarder": with the admin's session, read
 * Mattermost's ExperimentalAuditSettings and its licence, and when the licence allows Advanced
 * Logging patch AdvancedLoggingJSON (PUT /api/v4/config/patch) with our TCP target, the admin's
 * other targets kept. Otherwise (or when AdvancedLoggingJSON is a file) the outcome carries the
 * exact JSON to put in place by hand, and the ways that need no Advanced Logging.
 */
import type { AdminConfig } from '@mattermost/types/config';
import {
  additionalAuditEnv, advancedLoggingLicence, otherTargets, parseAdvancedLogging, TARGET_NAME, withAuditTarget, type TcpEndpoint,
} from './audit-target.js';
import { mattermostRequest } from './mattermost-api.js';

export type WiringOutcome =
  | { kind: 'patched'; endpoint: TcpEndpoint; kept: string[]; replaced: boolean }
  | { kind: 'manual'; reason: string; json: string; env: string }
  | { kind: 'failed'; message: string };

type AuditSettings = { ExperimentalAuditSettings?: { AdvancedLoggingJSON?: unknown; FileEnabled?: boolean; FileName?: string } };

export async function wireAuditTarget(endpoint: TcpEndpoint): Promise<WiringOutcome> {
  const [config, license] = await Promise.all([
    mattermostRequest<Partial<AdminConfig> & AuditSettings>('GET', '/api/v4/config'),
    mattermostRequest<Record<string, string>>('GET', '/api/v4/license/client?format=old'),
  ]);
  const logging = parseAdvancedLogging(config.ExperimentalAuditSettings?.AdvancedLoggingJSON);
  if (logging.kind === 'invalid') {
    return { kind: 'failed', message: `ExperimentalAuditSettings.AdvancedLoggingJSON cannot be read: ${logging.reason}. Fix it (System Console → Compliance → Audit Logging, or config.json) and try again.` };
  }
  const current = logging.kind === 'targets' ? logging.targets : {};
  const merged = withAuditTarget(current, endpoint);
  const manual = (reason: string, targets = merged): WiringOutcome => ({ kind: 'manual', reason, json: JSON.stringify(targets, null, 2), env: additionalAuditEnv(endpoint) });
  const licence = advancedLoggingLicence(license);
  if (!licence.allows) return manual(`Nothing was changed: ${licence.reason}, and Mattermost uses the targets of AdvancedLoggingJSON only with Advanced Logging.`);
  if (logging.kind === 'file') {
    return manual(`Nothing was changed: AdvancedLoggingJSON names the file ${logging.path}, which this page cannot edit. Add the target below to that file.`, withAuditTarget({}, endpoint));
  }
  const saved = await mattermostRequest<AuditSettings>('PUT', '/api/v4/config/patch', { ExperimentalAuditSettings: { AdvancedLoggingJSON: merged } });
  const after = parseAdvancedLogging(saved?.ExperimentalAuditSettings?.AdvancedLoggingJSON);
  if (after.kind !== 'targets' || !(TARGET_NAME in after.targets)) {
    return {
      kind: 'failed',
      message: 'Mattermost answered, but its configuration does not hold the target: is AdvancedLoggingJSON set in its environment '
        + '(MM_EXPERIMENTALAUDITSETTINGS_ADVANCEDLOGGINGJSON), or its configuration read-only? Add the target there instead.',
    };
  }
  return { kind: 'patched', endpoint, kept: otherTargets(after.targets), replaced: TARGET_NAME in current };
}
