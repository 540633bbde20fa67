/**
 * A batch's documents, serialized once where they are made (on a transform thread) as the bytes
 * of an Elasticsearch bulk body: per document its action line and its document line. Bytes, not
 * strings: they cross from the thread without a copy (the buffer is transferred) and go to the
 * socket without being encoded again; a batch's object graphs and strings never reach the main
 * thread's heap. The file sink reads the document lines out of the same bytes.
 */
import { takeSmallestSpare } from '../records/index.js';
import { JsonWriter } from '../transform/json-writer.js';

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

/** documentId's length; the place kept for it in an action line, its quotes and the line's end included. */
const ID_CHARS = 32;
const ID_PLACE = `"${' '.repeat(ID_CHARS)}"}}\n`;
const PLAIN_ID = /^[A-Za-z0-9_-]*$/;

/** Builds a DocumentBatch from documents as JSON, in order. */
export class DocumentBatchEncoder {
  private readonly out: JsonWriter;
  private readonly offsets: number[] = [];
  private readonly ids: string[] = [];
  /** The action line up to the id, the same for every document of the batch, as UTF-8. */
  private readonly actionStart: Uint8Array;
  /** The same with the place kept for the id after it (startInPlace). */
  private readonly actionWithPlace: Uint8Array;
  /** Where the action line of the document being written in place starts. */
  private inPlaceAt = 0;

  /**
   * `expectedChars`: about the total length of the documents' JSON, to size the buffer once;
   * `spares`: the buffers of batches already sent, to write into instead of new memory.
   */
  constructor(private readonly dataStream: string, expectedChars = 64 * 1024, spares?: SpareBuffers) {
    const size = Math.max(1024, Math.ceil(expectedChars * 1.2));
    // Not Buffer.allocUnsafe: a small one shares Node's pool, and the batch's buffer is transferred to another thread.
    this.out = new JsonWriter(spares?.take(size) ?? new Uint8Array(size));
    this.actionStart = Buffer.from(`{"create":{"_index":${JSON.stringify(dataStream)},"_id":`);
    this.actionWithPlace = Buffer.concat([this.actionStart, Buffer.from(ID_PLACE)]);
  }

  /** A document as JSON text. */
  add(id: string, json: string): void {
    this.addAction(id);
    this.out.json(json);
    this.out.ascii('\n');
  }

  /** A document already written as JSON (UTF-8). */
  addBytes(id: string, json: Uint8Array): void {
    this.addAction(id);
    this.out.bytes(json);
    this.out.ascii('\n');
  }

  /**
   * For a document written straight into the body, after its action line: the writer, the action
   * line written up to a place for the id, which depends on the document (its time). Then either
   * finishInPlace with the id, or cancelInPlace when nothing was written. Copying each document
   * from a writer of its own into the body took about a tenth of a usual line's time.
   */
  startInPlace(): JsonWriter {
    this.inPlaceAt = this.out.length;
    this.out.bytes(this.actionWithPlace);
    return this.out;
  }

  finishInPlace(id: string): void {
    const actionAt = this.inPlaceAt;
    const documentAt = actionAt + this.actionWithPlace.length;
    if (id.length === ID_CHARS && PLAIN_ID.test(id)) {
      this.out.overwrite(actionAt + this.actionStart.length + 1, id);
      this.ids.push(id);
      this.offsets.push(actionAt, documentAt);
      this.out.ascii('\n');
      return;
    }
    // An id of another length or one that needs escapes (never documentId's): the document moves behind its action line.
    const json = this.out.written().slice(documentAt);
    this.out.truncate(actionAt);
    this.addBytes(id, json);
  }

  cancelInPlace(): void {
    this.out.truncate(this.inPlaceAt);
  }

  /**
   * The action line is written byte by byte, the id too when it needs no escape (documentId's
   * never do): built as a template string and encoded, it took about 0.3 µs a document more.
   */
  private addAction(id: string): void {
    this.ids.push(id);
    this.offsets.push(this.out.length);
    this.out.bytes(this.actionStart);
    this.out.string(id);
    this.out.ascii('}}\n');
    this.offsets.push(this.out.length);
  }

  finish(): DocumentBatch {
    return { ids: this.ids, dataStream: this.dataStream, bytes: this.out.written(), offsets: Uint32Array.from([...this.offsets, this.out.length]) };
  }
}

/**
 * The buffers of batches the sink has taken, given back to the transform thread that made them.
 * Writing a batch into new memory cost more than all of its encoding: 0.4–1 µs a document here,
 * the kernel's zeroing and mapping of each new page (the forwarder has glibc map every buffer over
 * 128 KB afresh, to give it back to the system when freed). A few buffers that come back are kept.
 */
export class SpareBuffers {
  private readonly buffers: ArrayBuffer[] = [];

  constructor(private readonly most: number) {}

  give(buffer: ArrayBuffer): void {
    if (this.buffers.length < this.most) this.buffers.push(buffer);
  }

  /**
   * The smallest spare of at least `bytes` (a bigger one stays for a bigger batch), its old contents
   * left in it (a batch reads only what it wrote); undefined when none is that big.
   */
  take(bytes: number): Uint8Array | undefined {
    const spare = takeSmallestSpare(this.buffers, bytes);
    return spare && new Uint8Array(spare);
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
