/** The TCP audit target input: newline-delimited JSON from Mattermost's advanced logging TCP target. */
export { TcpInput } from './tcp.js';
