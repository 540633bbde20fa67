/** `transform [FILE]`: toEcs over NDJSON from FILE or stdin, one document per line to stdout. */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';
import { geoDatabaseConfigError, loadSomeSettings } from '../config/load.js';
import type { Settings } from '../config/schema.js';
import { LineSplitter, type Line } from '../records/index.js';
import { openGeoLookup, toEcsJson, type TransformMeta } from '../transform/index.js';

/** The command's options, by the names of the settings they stand for. */
export interface TransformOptions {
  keepOriginal?: boolean;
  namespace?: string;
  geoipCityDb?: string;
  geoipAsnDb?: string;
  maxRecordDepth?: string;
}

const TRANSFORM_SETTINGS = ['DATA_STREAM_NAMESPACE', 'KEEP_ORIGINAL', 'GEOIP_CITY_DB', 'GEOIP_ASN_DB', 'MAX_RECORD_BYTES', 'MAX_RECORD_DEPTH'] as const;
export type TransformSettings = Pick<Settings, (typeof TRANSFORM_SETTINGS)[number]>;

/** The options over the environment, validated as `serve` validates them; throws ConfigError. */
export function transformSettings(options: TransformOptions, env: NodeJS.ProcessEnv = process.env): TransformSettings {
  return loadSomeSettings(TRANSFORM_SETTINGS, {
    DATA_STREAM_NAMESPACE: options.namespace, KEEP_ORIGINAL: options.keepOriginal, GEOIP_CITY_DB: options.geoipCityDb, GEOIP_ASN_DB: options.geoipAsnDb,
    MAX_RECORD_DEPTH: options.maxRecordDepth,
  }, env);
}

/** Exit status: 0 when the input was read to its end, 2 when it could not be read. */
export async function runTransform(file: string | undefined, settings: TransformSettings, output: NodeJS.WritableStream = process.stdout): Promise<number> {
  const geo = await openGeoLookup({ cityDb: settings.GEOIP_CITY_DB, asnDb: settings.GEOIP_ASN_DB }).catch((error: unknown) => {
    throw geoDatabaseConfigError(error, settings);
  });
  let input: NodeJS.ReadableStream;
  if (file !== undefined) {
    try {
      const handle = await open(file, 'r');
      input = createReadStream('', { fd: handle.fd, highWaterMark: 1024 * 1024 });
    } catch (error) {
      process.stderr.write(`mattermost-audit-elastic transform: cannot read ${file}: ${(error as Error).message}\n`);
      return 2;
    }
  } else {
    input = process.stdin;
  }
  const maxRecordBytes = settings.MAX_RECORD_BYTES;
  const receivedAt = new Date().toISOString();
  const meta: TransformMeta = {
    keepOriginal: settings.KEEP_ORIGINAL,
    namespace: settings.DATA_STREAM_NAMESPACE,
    maxRecordBytes,
    maxRecordDepth: settings.MAX_RECORD_DEPTH,
    receivedAt,
    geo,
    source: { input: 'cli', path: file },
  };
  const splitter = new LineSplitter(maxRecordBytes);
  const render = (line: Line): string => {
    return `${toEcsJson(line.bytes, { ...meta, truncatedFromBytes: line.truncatedFromBytes, source: { input: 'cli', path: file, offset: line.offset } })}\n`;
  };
  try {
    for await (const chunk of input) {
      const text = splitter.push(chunk as Buffer).map(render).join('');
      if (text !== '' && !output.write(text)) await once(output, 'drain');
    }
  } catch (error) {
    process.stderr.write(`mattermost-audit-elastic transform: cannot read ${file ?? 'stdin'}: ${(error as Error).message}\n`);
    return 2;
  }
  const last = splitter.end();
  if (last) output.write(render(last));
  return 0;
}
