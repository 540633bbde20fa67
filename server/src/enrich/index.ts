/**
 * The enrichment stage: ids → names from Mattermost's API. On with MATTERMOST_URL and
 * MATTERMOST_TOKEN unless ENRICH=false; without them it sends no request at all.
 */
import type { Settings } from '../config/schema.js';
import { mattermostApiBase } from '../mattermost-api.js';
import type { Enricher, EnrichmentReport, EnrichSettings } from './enricher.js';
import { MattermostEnricher } from './mattermost-enricher.js';

export type { Enricher, EnrichmentReport, EnrichSettings } from './enricher.js';
export { addReport, emptyReport } from './enricher.js';

export type EnrichmentConfig = { enabled: true; target: string; settings: EnrichSettings } | { enabled: false; reason: string };

export function enrichmentConfig(settings: Settings): EnrichmentConfig {
  if (!settings.ENRICH) return { enabled: false, reason: 'ENRICH=false' };
  if (!settings.MATTERMOST_URL || !settings.MATTERMOST_TOKEN) return { enabled: false, reason: 'MATTERMOST_URL and MATTERMOST_TOKEN are not set' };
  return {
    enabled: true,
    target: mattermostApiBase(settings.MATTERMOST_URL),
    settings: {
      url: settings.MATTERMOST_URL,
      token: settings.MATTERMOST_TOKEN,
      includeEmail: settings.ENRICH_USER_EMAIL,
      maxWaitMs: settings.ENRICH_MAX_WAIT_MS,
      cacheTtlMs: settings.ENRICH_CACHE_TTL_SECONDS * 1000,
      missTtlMs: settings.ENRICH_MISS_TTL_SECONDS * 1000,
    },
  };
}

export function createEnricher(settings: EnrichSettings, report: (delta: EnrichmentReport) => void): Enricher {
  return new MattermostEnricher(settings, report);
}
