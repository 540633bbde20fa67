/** `transform [FILE]`: toEcs over NDJSON from FILE or stdin, one document per line to stdout. */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';
import { LineSplitter, type Line } from '../records/index.js';
import { DEFAULT_MAX_RECORD_BYTES, openGeoLookup, toEcs, type TransformMeta } from '../transform/index.js';

export interface TransformOptions {
  keepOriginal?: boolean;
  namespace?: string;
  geoipCityDb?: string;
  geoipAsnDb?: string;
  maxRecordBytes?: number;
}

/** Exit status: 0 when the input was read to its end, 2 when it could not be read. */
export async function runTransform(file: string | undefined, options: TransformOptions, output: NodeJS.WritableStream = process.stdout): Promise<number> {
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
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const receivedAt = new Date().toISOString();
  const meta: TransformMeta = {
    keepOriginal: options.keepOriginal,
    namespace: options.namespace,
    maxRecordBytes,
    receivedAt,
    geo: await openGeoLookup({ cityDb: options.geoipCityDb, asnDb: options.geoipAsnDb }),
    source: { input: 'cli', path: file },
  };
  const splitter = new LineSplitter(maxRecordBytes);
  const render = (line: Line): string => {
    const doc = toEcs(line.bytes, { ...meta, truncatedFromBytes: line.truncatedFromBytes, source: { input: 'cli', path: file, offset: line.offset } });
    return `${JSON.stringify(doc)}\n`;
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
