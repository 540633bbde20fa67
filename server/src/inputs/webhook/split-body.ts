/**
 * A webhook body → its records, in order: NDJSON (blank lines are framing), a JSON array of
 * records, or one object spread over several lines (pretty-printed). An array's elements are found
 * by one scan of the text, without recursion and without building the array: an element nested a
 * hundred thousand levels deep is one record like any other (and becomes a pipeline_error document
 * downstream), and a large array never exists as one object graph.
 */
import { isUtf8 } from 'node:buffer';
import { isBlankLine, isBlankText, LineSplitter, recordFromLine, type RawRecord } from '../../records/index.js';

export function splitBody(body: Buffer, maxRecordBytes: number): RawRecord[] {
  let start = 0;
  while (start < body.length && isJsonSpace(body[start]!)) start++;
  const first = body[start];
  if (first === 0x5b /* [ */ || first === 0x7b /* { */) {
    const text = body.toString('utf8');
    const whole = first === 0x5b ? arrayElements(text) : prettyPrintedObject(text);
    if (whole) return whole.map((element) => ({ text: element }));
  }
  // The common case, a valid UTF-8 body, is decoded and split once; toEcs truncates an overlong line.
  if (isUtf8(body)) return splitText(body.toString('utf8'));
  const splitter = new LineSplitter(maxRecordBytes);
  const lines = splitter.push(body);
  const last = splitter.end();
  if (last) lines.push(last);
  return lines.filter((line) => !isBlankLine(line.bytes)).map((line) => {
    const { offset: _offset, ...record } = recordFromLine(line);
    return record;
  });
}

function splitText(text: string): RawRecord[] {
  const records: RawRecord[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    if (!isBlankText(line)) records.push({ text: line });
    start = end + 1;
  }
  return records;
}

/** The whole text as one record when it is one object over several lines; NDJSON's first line is a whole object. */
function prettyPrintedObject(text: string): string[] | undefined {
  const firstLineEnd = text.indexOf('\n', text.indexOf('{'));
  if (firstLineEnd === -1 || text.slice(firstLineEnd).trim() === '' || parses(text.slice(0, firstLineEnd))) return undefined;
  return parses(text) ? [trimJsonSpace(text)] : undefined;
}

/**
 * The elements of a text that is exactly one JSON array, as they were sent; undefined when it is
 * not one (the body is then read as NDJSON). Each element is checked with JSON.parse, one at a time.
 */
export function arrayElements(text: string): string[] | undefined {
  let at = skipJsonSpace(text, 0);
  if (text.charCodeAt(at) !== 0x5b) return undefined;
  at = skipJsonSpace(text, at + 1);
  const elements: string[] = [];
  if (text.charCodeAt(at) === 0x5d) return skipJsonSpace(text, at + 1) === text.length ? elements : undefined;
  for (;;) {
    const start = at;
    let depth = 0;
    for (; at < text.length; at++) {
      const code = text.charCodeAt(at);
      if (code === 0x22 /* " */) {
        at = closingQuote(text, at);
        if (at === -1) return undefined;
      } else if (code === 0x7b || code === 0x5b) {
        depth++;
      } else if (code === 0x7d || code === 0x5d) {
        if (depth === 0) break;
        depth--;
      } else if (code === 0x2c /* , */ && depth === 0) {
        break;
      }
    }
    if (at >= text.length) return undefined;
    const element = trimJsonSpace(text.slice(start, at));
    if (element === '' || !parses(element)) return undefined;
    elements.push(element);
    const separator = text.charCodeAt(at);
    if (separator === 0x5d) return skipJsonSpace(text, at + 1) === text.length ? elements : undefined;
    if (separator !== 0x2c) return undefined;
    at = skipJsonSpace(text, at + 1);
  }
}

/** The index of the quote that ends the string opening at `open`, or -1. */
function closingQuote(text: string, open: number): number {
  for (let at = text.indexOf('"', open + 1); at !== -1; at = text.indexOf('"', at + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
  return -1;
}

function isJsonSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function skipJsonSpace(text: string, from: number): number {
  let at = from;
  while (at < text.length && isJsonSpace(text.charCodeAt(at))) at++;
  return at;
}

function trimJsonSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isJsonSpace(text.charCodeAt(start))) start++;
  while (end > start && isJsonSpace(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
