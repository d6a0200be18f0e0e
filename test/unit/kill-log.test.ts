import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { KillLog } from '../../device/kill-log.js';
import type { KillRecord } from '../../src/kill-record.js';
import { sampleKillRecord } from '../support/sample-records.js';

function record(pid: number): KillRecord {
  return sampleKillRecord({ pid, name: `com.example.app${pid}` });
}

describe('the kill log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lmk-killlog-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('rotates at its size limit, keeps a bounded number of files, and survives a restart', () => {
    const log = new KillLog(dir, { maxBytes: 4096, files: 3 });
    for (let pid = 100; pid < 200; pid++) log.append(record(pid));
    assert.deepEqual(readdirSync(dir).sort(), ['kills.1.jsonl', 'kills.2.jsonl', 'kills.jsonl']);
    const reopened = new KillLog(dir, { maxBytes: 4096, files: 3 });
    const kept = reopened.read();
    assert.ok(kept.length > 0 && kept.length < 100, `${kept.length} records kept`);
    assert.equal(kept.at(-1)?.pid, 199, 'the newest survives');
    assert.deepEqual(kept.map((r) => r.pid), [...kept.map((r) => r.pid)].sort((a, b) => a - b), 'oldest first');
    assert.equal(reopened.recent(5).at(-1)?.pid, 199);
  });

  it('skips a damaged line instead of trusting it', () => {
    const other = mkdtempSync(join(tmpdir(), 'lmk-killlog-'));
    try {
      const log = new KillLog(other, { maxBytes: 1 << 20, files: 2 });
      log.append(record(1));
      appendFileSync(log.path, '{"event":"kill","pid":"not a number"}\n{torn');
      appendFileSync(log.path, `\n${JSON.stringify(record(2))}\n`);
      assert.deepEqual(new KillLog(other, { maxBytes: 1 << 20, files: 2 }).read().map((r) => r.pid), [1, 2]);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
