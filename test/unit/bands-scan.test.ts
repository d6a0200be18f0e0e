import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readBandProcess, scanBands } from '../../device/bands.js';
import { PF_KTHREAD } from '../../src/procfs/stat.js';

/** A /proc/<pid> of text files, made from this process's own stat and status (real kernel text). */
function fakeProcess(root: string, pid: number, files: { adj?: string; cmdline?: string; kernel?: boolean; status?: string }): void {
  const dir = join(root, String(pid));
  mkdirSync(dir, { recursive: true });
  let stat = readFileSync('/proc/self/stat', 'utf8');
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).split(' ');
  if (files.kernel) fields[6] = String(Number(fields[6]) | PF_KTHREAD);
  stat = `${pid} (app_process64) ${fields.join(' ')}`;
  writeFileSync(join(dir, 'stat'), stat);
  writeFileSync(join(dir, 'status'), files.status ?? readFileSync('/proc/self/status', 'utf8').replace(/^VmRSS:.*$/m, 'VmRSS:\t  204800 kB').replace(/^VmSwap:.*$/m, 'VmSwap:\t    1024 kB'));
  if (files.adj !== undefined) writeFileSync(join(dir, 'oom_score_adj'), files.adj);
  if (files.cmdline !== undefined) writeFileSync(join(dir, 'cmdline'), files.cmdline);
}

describe('lmk-agent bands: scanning /proc', () => {
  const root = mkdtempSync(join(tmpdir(), 'lmk-bands-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  fakeProcess(root, 100, { adj: '905\n', cmdline: 'com.example.mail\0\0\0\0' });
  fakeProcess(root, 101, { adj: '600\n', cmdline: 'com.android.launcher3\0' });
  fakeProcess(root, 102, { adj: '0\n', cmdline: '', kernel: true });
  fakeProcess(root, 103, { cmdline: 'gone-before-adj\0' });
  fakeProcess(root, 104, { adj: 'garbage\n', cmdline: 'x\0' });
  fakeProcess(root, 105, { adj: '700\n', cmdline: 'com.example.maps\0', status: 'Name:\tbroken\n' });
  fakeProcess(root, 106, { adj: '0\n' });
  writeFileSync(join(root, 'meminfo'), 'not a process\n');

  it('reads adj, band, uid, name and memory of a process', () => {
    const mail = readBandProcess(root, 100);
    assert.notEqual(typeof mail, 'string');
    if (typeof mail === 'string') return;
    assert.equal(mail.adj, 905);
    assert.equal(mail.band, 'cached');
    assert.equal(mail.name, 'com.example.mail');
    assert.equal(mail.uid, process.getuid?.());
    assert.equal(mail.rssKb, 204800);
    assert.equal(mail.swapKb, 1024);
  });

  it('names a process without a cmdline by its comm', () => {
    const noCmdline = readBandProcess(root, 106);
    assert.equal(typeof noCmdline !== 'string' && noCmdline.name, 'app_process64');
  });

  it('leaves out kernel threads, and skips vanished or unparsable processes without failing', () => {
    assert.equal(readBandProcess(root, 102), 'kernel');
    assert.equal(readBandProcess(root, 103), 'gone');
    assert.equal(readBandProcess(root, 104), 'gone');
    assert.equal(readBandProcess(root, 105), 'gone');
    assert.equal(readBandProcess(root, 999), 'gone');
    const report = scanBands(root, new Date('2025-01-02T03:04:05.678Z'));
    assert.deepEqual(report.processes.map((p) => p.pid), [100, 101, 106]);
    assert.deepEqual(report.counts, { cached: 1, home: 1, foreground: 1 });
    assert.equal(report.skipped, 3);
    assert.equal(report.time, '2025-01-02T03:04:05.678Z');
  });
});
