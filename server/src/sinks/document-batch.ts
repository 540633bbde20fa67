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

/** Builds a DocumentBatch from documents as JSON text, in order. */
export class DocumentBatchEncoder {
  private bytes: Uint8Array;
  /** The same memory as `bytes`: Buffer's write encodes a string in place at an offset. */
  private view: Buffer;
  private length = 0;
  private readonly offsets: number[] = [];
  private readonly ids: string[] = [];
  /** The action line up to the id, the same for every document of the batch, as UTF-8. */
  private readonly actionStart: Uint8Array;

  /**
   * `expectedChars`: about the total length of the documents' JSON, to size the buffer once;
   * `spares`: the buffers of batches already sent, to write into instead of new memory.
   */
  constructor(private readonly dataStream: string, expectedChars = 64 * 1024, spares?: SpareBuffers) {
    const size = Math.max(1024, Math.ceil(expectedChars * 1.2));
    // Not Buffer.allocUnsafe: a small one shares Node's pool, and the batch's buffer is transferred to another thread.
    this.bytes = spares?.take(size) ?? new Uint8Array(size);
    this.view = Buffer.from(this.bytes.buffer, 0, this.bytes.length);
    this.actionStart = Buffer.from(`{"create":{"_index":${JSON.stringify(dataStream)},"_id":`);
  }

  /**
   * The action line is written byte by byte, the id too when it needs no escape (documentId's
   * never do): built as a template string and encoded, it took about 0.3 µs a document more.
   */
  add(id: string, json: string): void {
    this.addAction(id);
    this.append(json);
    this.room(1);
    this.bytes[this.length++] = 10;
  }

  /** The same for a document already written as JSON (UTF-8). */
  addBytes(id: string, json: Uint8Array): void {
    this.addAction(id);
    this.room(json.length + 1);
    this.bytes.set(json, this.length);
    this.length += json.length;
    this.bytes[this.length++] = 10;
  }

  private addAction(id: string): void {
    this.ids.push(id);
    this.offsets.push(this.length);
    // At most 6 bytes per character of the id (an escape), its quotes and `}}\n`.
    this.room(this.actionStart.length + id.length * 6 + 5);
    this.bytes.set(this.actionStart, this.length);
    this.length += this.actionStart.length;
    if (!this.quotedPlainText(id)) this.length += this.view.write(JSON.stringify(id), this.length);
    const bytes = this.bytes;
    bytes[this.length++] = 125;
    bytes[this.length++] = 125;
    bytes[this.length++] = 10;
    this.offsets.push(this.length);
  }

  finish(): DocumentBatch {
    return { ids: this.ids, dataStream: this.dataStream, bytes: this.bytes.subarray(0, this.length), offsets: Uint32Array.from([...this.offsets, this.length]) };
  }

  /** One Buffer write per string (TextEncoder's encodeInto costs about twice as much, with a view and a result per call). */
  private append(text: string): void {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8: with that much room the write is whole.
    this.room(text.length * 3);
    this.length += this.view.write(text, this.length);
  }

  /** Writes `"text"` and true when no character of it needs an escape or more than a byte; else false, the length unchanged. */
  private quotedPlainText(text: string): boolean {
    const bytes = this.bytes;
    let at = this.length;
    bytes[at++] = 34;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x20 || code > 0x7e || code === 34 || code === 92) return false;
      bytes[at++] = code;
    }
    bytes[at++] = 34;
    this.length = at;
    return true;
  }

  /** Doubles the buffer (at least) when fewer than `bytes` are free. */
  private room(bytes: number): void {
    if (this.length + bytes <= this.bytes.length) return;
    const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.length + bytes));
    bigger.set(this.bytes.subarray(0, this.length));
    this.bytes = bigger;
    this.view = Buffer.from(bigger.buffer, 0, bigger.length);
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
    let best = -1;
    this.buffers.forEach((buffer, i) => {
      if (buffer.byteLength >= bytes && (best === -1 || buffer.byteLength < this.buffers[best]!.byteLength)) best = i;
    });
    return best === -1 ? undefined : new Uint8Array(this.buffers.splice(best, 1)[0]!);
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
