/** Renders bench/rsyslog/bench.conf: every {{name}} must be given, so a typo fails loudly. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface RsyslogSettings {
  workDir: string;
  file: string;
  esPort: number;
  index: string;
  /** Messages per dequeued batch = documents per _bulk request. */
  batch: number;
  workers: number;
  queueSize: number;
  /** Lines imfile hands to the queue at once. */
  submit: number;
  maxBytes: string;
}

const TEMPLATE = fileURLToPath(new URL('./bench.conf', import.meta.url));

export function renderConfig(settings: RsyslogSettings): string {
  const values: Record<string, string | number> = { ...settings };
  return readFileSync(TEMPLATE, 'utf8').replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`bench.conf: no value for {{${name}}}`);
    const text = String(value);
    // Values land inside double-quoted rsyslog strings.
    if (/["\\\n]/.test(text)) throw new Error(`bench.conf: ${name} must not contain quotes, backslashes or newlines: ${text}`);
    return text;
  });
}
