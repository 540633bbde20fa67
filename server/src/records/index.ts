/** The ground floor: a raw record, line framing and the blank-line rule; it imports no other layer. */
export { isBlankLine, isBlankText } from './blank-line.js';
export { LineSplitter, type Line } from './line-splitter.js';
export { recordFromLine, type RawRecord } from './raw-record.js';
export { LineBlockMemory } from './line-block-memory.js';
export { takeSmallestSpare } from './smallest-spare.js';
export { blockLength, blockRecords, LineBlockReader, lineBlockOf, sliceBlock, type LineBlock } from './line-block.js';
