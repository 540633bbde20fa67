/**
 * Renders a configuration of bench/rsyslog/: bench.conf (mmjsonparse, the parsed record) or
 * pipeline.conf (the raw line into an ingest pipeline). Every {{name}} must be given, so a typo
 * fails loudly.
 */
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
  /** pipeline.conf: the ingest pipeline every bulk request names. */
  pipeline?: string;
}

export type RsyslogConfig = 'bench.conf' | 'pipeline.conf';

export function renderConfig(settings: RsyslogSettings, config: RsyslogConfig = 'bench.conf'): string {
  const values: Record<string, string | number | undefined> = { ...settings };
  return readFileSync(fileURLToPath(new URL(`./${config}`, import.meta.url)), 'utf8').replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${config}: no value for {{${name}}}`);
    const text = String(value);
    // Values land inside double-quoted rsyslog strings.
    if (/["\\\n]/.test(text)) throw new Error(`${config}: ${name} must not contain quotes, backslashes or newlines: ${text}`);
    return text;
  });
}
