/** The inputs the settings turn on, beside the webhook. */
import type { Input, InputContext } from './input.js';

export function createInputs(_context: InputContext): Input[] {
  return [];
}
