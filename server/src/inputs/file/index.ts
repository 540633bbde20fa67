/** The audit.log tail input: files followed across rotations, checkpoints in Redis. */
export { FileTailInput } from './file-tail.js';
