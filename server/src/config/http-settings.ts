/**
 * Rules between the HTTP API's settings, checked before anything connects (loadSettings): each
 * broken rule is a ConfigError of one line naming the setting.
 */
import { ConfigError } from './config-error.js';
import type { Settings } from './schema.js';

/** Addresses only this machine can reach: without tokens the API may listen on nothing else. */
export function isLoopbackAddress(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

export function checkHttpSettings(settings: Settings): void {
  if (Boolean(settings.HTTP_TLS_CERT) !== Boolean(settings.HTTP_TLS_KEY)) {
    throw new ConfigError('HTTP_TLS_CERT and HTTP_TLS_KEY: set both for HTTPS, or neither');
  }
  if (settings.HTTP_HEADERS_TIMEOUT_SECONDS > settings.HTTP_REQUEST_TIMEOUT_SECONDS) {
    throw new ConfigError(`HTTP_HEADERS_TIMEOUT_SECONDS: must not be longer than HTTP_REQUEST_TIMEOUT_SECONDS (${settings.HTTP_REQUEST_TIMEOUT_SECONDS})`);
  }
  if (settings.MAX_IN_FLIGHT_BYTES < settings.MAX_BODY_BYTES) {
    throw new ConfigError(`MAX_IN_FLIGHT_BYTES: must be at least MAX_BODY_BYTES (${settings.MAX_BODY_BYTES}), or a body of the largest size could never be taken`);
  }
  if (!isLoopbackAddress(settings.HOST)) {
    // Without a token an endpoint answers local clients only: listening beyond loopback then serves
    // nobody legitimately, and a token left out by mistake must not look like a working setup.
    const missing = [settings.ADMIN_TOKEN ? undefined : 'ADMIN_TOKEN', settings.ROLE === 'worker' || settings.INGEST_TOKEN ? undefined : 'INGEST_TOKEN'].filter(Boolean);
    if (missing.length > 0) {
      throw new ConfigError(`HOST: ${settings.HOST} takes requests from other machines: set ${missing.join(' and ')} (without tokens the API answers local clients only; keep HOST=127.0.0.1 for that)`);
    }
  }
}
