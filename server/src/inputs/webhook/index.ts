/** The webhook input: POST /v1/audit, an Express router rather than a started Input. */
export { webhookRouter, type WebhookOptions } from './webhook.js';
