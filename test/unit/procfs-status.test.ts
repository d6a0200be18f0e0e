import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ParseError } from '../../src/parse-error.js';
import { parseStatus, statusKb } from '../../src/procfs/status.js';

const capture = (path: string): string =>
  readFileSync(new URL(`../../../test/fixtures/captures/${path}`, import.meta.url), 'utf8');

describe('parseStatus on captures from Linux 6.18', () => {
  it('reads pid 1', () => {
    const status = parseStatus(capture('linux-6.18-x86_64/pid-1/status'));
    assert.equal(status.name, 'process_api');
    assert.equal(status.state, 'S');
    assert.equal(status.tgid, 1);
    assert.equal(status.pid, 1);
    assert.equal(status.ppid, 0);
    assert.deepEqual(status.uid, { real: 0, effective: 0, saved: 0, fs: 0 });
    assert.equal(status.threads, 13);
    assert.equal(status.vmRssKb, 11448);
    assert.equal(status.rssAnonKb, 4984);
    assert.equal(status.rssFileKb, 8);
    assert.equal(status.rssShmemKb, 6456);
    assert.equal(status.vmSwapKb, 0);
    assert.equal(status.fields.get('Kthread'), '0');
    assert.equal(statusKb(status.fields, 'VmHWM'), 17528);
  });

  it('reads a kernel thread, which has no memory lines', () => {
    const status = parseStatus(capture('linux-6.18-x86_64/pid-2-kthreadd/status'));
    assert.equal(status.name, 'kthreadd');
    assert.equal(status.fields.get('Kthread'), '1');
    assert.equal(status.vmRssKb, undefined);
    assert.equal(status.vmSwapKb, undefined);
    assert.equal(status.rssAnonKb, undefined);
  });

  it('reads a zombie: state Z, no memory lines', () => {
    const status = parseStatus(capture('linux-6.18-x86_64/pid-zombie/status'));
    assert.equal(status.state, 'Z');
    assert.equal(status.tgid, 4927);
    assert.equal(status.vmRssKb, undefined);
  });

  it('keeps a name with a space and ") " whole', () => {
    const status = parseStatus(capture('linux-6.18-x86_64/pid-comm-paren/status'));
    assert.equal(status.name, 'a b) c(d');
    assert.equal(status.vmRssKb, 1776);
    assert.equal(status.ppid, 4879);
  });
});

describe('parseStatus on Android-format text (constructed)', () => {
  it('reads an app uid and its swap', () => {
    const status = parseStatus(capture('android-constructed/gki-5.10-arm64/pid-12873-com.example.mail/status'));
    assert.equal(status.name, 'om.example.mail');
    assert.deepEqual(status.uid, { real: 10187, effective: 10187, saved: 10187, fs: 10187 });
    assert.equal(status.threads, 41);
    assert.equal(status.vmRssKb, 119496);
    assert.equal(status.vmSwapKb, 36412);
    assert.equal(status.fields.get('Cpus_allowed_list'), '0-3');
  });

  it('reads system_server', () => {
    const status = parseStatus(capture('android-constructed/gki-5.10-arm64/pid-1573-system_server/status'));
    assert.equal(status.uid.real, 1000);
    assert.equal(status.threads, 231);
    assert.equal(status.vmSwapKb, 88120);
  });
});

describe('parseStatus edge cases', () => {
  const minimal = 'Name:\tx\nState:\tR (running)\nTgid:\t5\nPid:\t5\nPPid:\t1\nUid:\t1\t2\t3\t4\nThreads:\t1\n';

  it('gives the four uids in order', () => {
    assert.deepEqual(parseStatus(minimal).uid, { real: 1, effective: 2, saved: 3, fs: 4 });
  });

  it('undoes both the octal and the letter escapes of Name, and keeps leading spaces', () => {
    assert.equal(parseStatus(minimal.replace('Name:\tx', 'Name:\ta\\nb\\\\c')).name, 'a\nb\\c');
    assert.equal(parseStatus(minimal.replace('Name:\tx', 'Name:\ta\\012b\\134c')).name, 'a\nb\\c');
    assert.equal(parseStatus(minimal.replace('Name:\tx', 'Name:\t  x')).name, '  x');
  });
});

describe('parseStatus refuses', () => {
  const text = capture('linux-6.18-x86_64/pid-1/status');

  it('a missing required line', () => {
    assert.throws(() => parseStatus(text.replace(/^Tgid:.*\n/m, '')), /missing Tgid/);
    assert.throws(() => parseStatus(''), ParseError);
  });

  it('a Uid line without four values', () => {
    assert.throws(() => parseStatus(text.replace(/^Uid:.*$/m, 'Uid:\t0\t0\t0')), /Uid/);
  });

  it('a memory line that is not "<n> kB"', () => {
    assert.throws(() => parseStatus(text.replace(/^VmSwap:.*$/m, 'VmSwap:\t12 MB')), /VmSwap/);
  });

  it('garbage lines and repeated keys', () => {
    assert.throws(() => parseStatus(text + 'garbage\n'), ParseError);
    assert.throws(() => parseStatus(text + 'Threads:\t2\n'), /duplicate/);
  });

  it('a State without its word', () => {
    assert.throws(() => parseStatus(text.replace('S (sleeping)', 'S')), /State/);
  });
});
