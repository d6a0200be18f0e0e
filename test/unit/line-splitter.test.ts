import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineSplitter, type LineEvent } from '../../device/line-splitter.js';

const lines = (...texts: string[]): LineEvent[] => texts.map((line) => ({ kind: 'line', line }));

describe('LineSplitter', () => {
  it('splits lines across and within chunks, dropping blank ones and a CR before the newline', () => {
    const splitter = new LineSplitter(100);
    assert.deepEqual(splitter.push(Buffer.from('{"a":1}\n{"b"')), lines('{"a":1}'));
    assert.equal(splitter.pendingBytes, 4);
    assert.deepEqual(splitter.push(Buffer.from(':2}\r\n\n  \n{"c":3}\n')), lines('{"b":2}', '{"c":3}'));
    assert.equal(splitter.pendingBytes, 0);
  });

  it('decodes UTF-8 split between chunks', () => {
    const splitter = new LineSplitter(100);
    const bytes = Buffer.from('"é€😀"\n');
    assert.deepEqual(splitter.push(bytes.subarray(0, 2)), []);
    assert.deepEqual(splitter.push(bytes.subarray(2, 6)), []);
    assert.deepEqual(splitter.push(bytes.subarray(6)), lines('"é€😀"'));
  });

  it('reports an over-long line once, holds none of it, and resumes after its newline', () => {
    const splitter = new LineSplitter(10);
    assert.deepEqual(splitter.push(Buffer.from('0123456789')), []);
    assert.deepEqual(splitter.push(Buffer.from('abcdefgh')), [{ kind: 'overflow' }]);
    assert.equal(splitter.pendingBytes, 0);
    assert.deepEqual(splitter.push(Buffer.alloc(100_000, 0x61)), []);
    assert.equal(splitter.pendingBytes, 0);
    assert.deepEqual(splitter.push(Buffer.from('zz\nok\n')), lines('ok'));
  });

  it('accepts a line of exactly the limit, with or without a CR', () => {
    const splitter = new LineSplitter(4);
    assert.deepEqual(splitter.push(Buffer.from('abcd\nabcd\r\nabcde\n')), [...lines('abcd', 'abcd'), { kind: 'overflow' }]);
  });

  it('hands over an unfinished last line at the end', () => {
    const splitter = new LineSplitter(100);
    assert.deepEqual(splitter.push(Buffer.from('a\nb')), lines('a'));
    assert.deepEqual(splitter.end(), lines('b'));
    assert.deepEqual(splitter.end(), []);
  });
});
