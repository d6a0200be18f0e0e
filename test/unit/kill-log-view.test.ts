import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { killLogFilesOldestFirst, killLogIndex, parseKillLog, splitMarkedFiles } from '../../src/kill-log-view.js';
import { sampleKillRecord } from '../support/sample-records.js';

const line = (pid: number): string => JSON.stringify(sampleKillRecord({ pid }));

describe('reading the kill log', () => {
  it('knows the log and its rotations by name, oldest first', () => {
    assert.equal(killLogIndex('kills.jsonl'), 0);
    assert.equal(killLogIndex('kills.12.jsonl'), 12);
    assert.equal(killLogIndex('agent.log'), undefined);
    assert.equal(killLogIndex('kills.x.jsonl'), undefined);
    assert.deepEqual(killLogFilesOldestFirst(['kills.jsonl', 'kills.1.jsonl', 'kills.10.jsonl', 'kills.2.jsonl', 'control.sock']), [
      'kills.10.jsonl',
      'kills.2.jsonl',
      'kills.1.jsonl',
      'kills.jsonl',
    ]);
  });

  it('keeps valid kill records in order, and skips and counts everything else', () => {
    const older = `${line(1)}\n${line(2)}\n`;
    const newer = `${line(3)}\n{"event":"kill","pid":"nope"}\n{torn\n\n${JSON.stringify({ event: 'pressure' })}\n${line(4)}`;
    const read = parseKillLog([older, newer]);
    assert.deepEqual(read.records.map((record) => record.pid), [1, 2, 3, 4]);
    assert.equal(read.skipped, 3);
  });

  it('splits one shell output into files by a marker line', () => {
    const marker = '__m__ ';
    const output = `noise\n${marker}kills.1.jsonl\n${line(1)}\n\n${marker}kills.jsonl\n${line(2)}\r\n\n`;
    const files = splitMarkedFiles(output, marker);
    assert.deepEqual([...files.keys()], ['kills.1.jsonl', 'kills.jsonl']);
    assert.deepEqual(parseKillLog([files.get('kills.1.jsonl') ?? '', files.get('kills.jsonl') ?? '']).records.map((r) => r.pid), [1, 2]);
  });
});
