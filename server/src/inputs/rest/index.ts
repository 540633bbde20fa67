/** The REST poller input: Mattermost's GET /api/v4/audits, paged from a checkpoint in Redis. */
export { RestPollerInput } from './rest-poller.js';
