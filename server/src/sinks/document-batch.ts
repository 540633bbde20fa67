/**
 * A batch's documents, serialized once where they are made (on a transform thread) as the bytes
 * of an Elasticsearch bulk body: per document its action line and its document line. Bytes, not
 * strings: they cross from the thread without a copy (the buffer is transferred) and go to the
 * socket without being encoded again; a batch's object graphs and strings never reach the main
 * thread's heap. The file sink reads the document lines out of the same bytes.
 */

export interface DocumentBatch {
  /** Stable `_id`s (documentId): a retried create of the same record answers 409, not a duplicate. */
  ids: string[];
  /** `logs-mattermost.audit-<namespace>` */
  dataStream: string;
  /** NDJSON: `{"create":{"_index":…,"_id":…}}\n{document}\n` per document. */
  bytes: Uint8Array;
  /** Document i's action line starts at offsets[2i], its document line at offsets[2i+1]; the last entry is the end. */
  offsets: Uint32Array;
}

const encoder = new TextEncoder();

/** Builds a DocumentBatch from documents as JSON text, in order. */
export class DocumentBatchEncoder {
  private bytes: Uint8Array;
  private length = 0;
  private readonly offsets: number[] = [];
  private readonly ids: string[] = [];

  /** `expectedChars`: about the total length of the documents' JSON, to size the buffer once. */
  constructor(private readonly dataStream: string, expectedChars = 64 * 1024) {
    this.bytes = new Uint8Array(Math.max(1024, Math.ceil(expectedChars * 1.2)));
  }

  add(id: string, json: string): void {
    this.ids.push(id);
    this.offsets.push(this.length);
    this.append(`{"create":{"_index":${JSON.stringify(this.dataStream)},"_id":${JSON.stringify(id)}}}\n`);
    this.offsets.push(this.length);
    this.append(json);
    this.append('\n');
  }

  finish(): DocumentBatch {
    return { ids: this.ids, dataStream: this.dataStream, bytes: this.bytes.subarray(0, this.length), offsets: Uint32Array.from([...this.offsets, this.length]) };
  }

  private append(text: string): void {
    for (let read = 0; ;) {
      const rest = read === 0 ? text : text.slice(read);
      const done = encoder.encodeInto(rest, this.bytes.subarray(this.length));
      read += done.read;
      this.length += done.written;
      if (read >= text.length) return;
      // Out of room (or a character that does not fit whole): double the buffer and go on.
      const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.length + (text.length - read) * 3));
      bigger.set(this.bytes.subarray(0, this.length));
      this.bytes = bigger;
    }
  }
}

/** The bulk body of the documents at `indices` (all of them when omitted), as the client sends it. */
export function bulkBody(batch: DocumentBatch, indices?: readonly number[]): Buffer {
  const whole = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
  if (!indices) return whole;
  return Buffer.concat(indices.map((i) => whole.subarray(batch.offsets[2 * i]!, batch.offsets[2 * i + 2]!)));
}

/** Every document line, in order, without the action lines. */
export function documentLines(batch: DocumentBatch): Buffer {
  return Buffer.concat(batch.ids.map((_, i) => documentLine(batch, i)));
}

/** Document i's line with its newline, as bytes over the batch's buffer (no copy). */
export function documentLine(batch: DocumentBatch, i: number): Uint8Array {
  return batch.bytes.subarray(batch.offsets[2 * i + 1]!, batch.offsets[2 * i + 2]!);
}
