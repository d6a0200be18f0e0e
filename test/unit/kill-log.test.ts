import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { KillLog } from '../../device/kill-log.js';
import type { KillRecord } from '../../src/kill-record.js';

function record(pid: number): KillRecord {
  return {
    event: 'kill', time: '2026-11-23T22:00:00.000Z', pid, uid: 10123, name: `com.example.app${pid}`, adj: 905, band: 'cached', minAdj: 701,
    reason: 'LOW_MEM', description: 'low watermark is breached', rssKb: 120_000, swapKb: 8_000, psi: { someAvg10: 12.5, fullAvg10: 3.1 },
    killMs: 0.4, reap: { ms: 35.2, errno: null, cpu: 0 }, freedKb: 110_000, exitMs: 41, dryRun: false,
  };
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
