import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ParseError } from '../../src/parse-error.js';
import { parseStat } from '../../src/procfs/stat.js';

const capture = (path: string): string =>
  readFileSync(new URL(`../../../test/fixtures/captures/${path}`, import.meta.url), 'utf8');

describe('parseStat on captures from Linux 6.18', () => {
  it('reads pid 1', () => {
    const stat = parseStat(capture('linux-6.18-x86_64/pid-1/stat'));
    assert.equal(stat.pid, 1);
    assert.equal(stat.comm, 'process_api');
    assert.equal(stat.state, 'S');
    assert.equal(stat.ppid, 0);
    assert.equal(stat.flags, 4194560);
    assert.equal(stat.isKernelThread, false);
    assert.equal(stat.minflt, 32294);
    assert.equal(stat.utime, 43);
    assert.equal(stat.stime, 215);
    assert.equal(stat.nice, 0);
    assert.equal(stat.numThreads, 13);
    assert.equal(stat.starttime, 26);
    assert.equal(stat.vsize, 41345024);
    assert.equal(stat.rss, 2853);
    assert.equal(stat.processor, 0);
  });

  it('flags kthreadd as a kernel thread', () => {
    const stat = parseStat(capture('linux-6.18-x86_64/pid-2-kthreadd/stat'));
    assert.equal(stat.pid, 2);
    assert.equal(stat.comm, 'kthreadd');
    assert.equal(stat.flags, 2129984);
    assert.equal(stat.isKernelThread, true);
    assert.equal(stat.vsize, 0);
    assert.equal(stat.rss, 0);
  });

  it('splits a comm holding a space and ") " on the last parenthesis', () => {
    const stat = parseStat(capture('linux-6.18-x86_64/pid-comm-paren/stat'));
    assert.equal(stat.pid, 4907);
    assert.equal(stat.comm, 'a b) c(d');
    assert.equal(stat.state, 'S');
    assert.equal(stat.ppid, 4879);
    assert.equal(stat.starttime, 43183);
    assert.equal(stat.rss, 417);
  });

  it('reads the capturing shell, whose comm the kernel cut to 15 bytes', () => {
    const stat = parseStat(capture('linux-6.18-x86_64/pid-self-bash/stat'));
    assert.equal(stat.comm, 'capture-linux.s');
    assert.equal(stat.minflt, 363);
    assert.equal(stat.processor, 1);
  });

  it('reads a zombie', () => {
    const stat = parseStat(capture('linux-6.18-x86_64/pid-zombie/stat'));
    assert.equal(stat.state, 'Z');
    assert.equal(stat.comm, 'bash');
    assert.equal(stat.rss, 0);
    assert.equal(stat.isKernelThread, false);
  });
});

describe('parseStat on Android-format text (constructed)', () => {
  it('reads an app process whose comm is the tail of its package name', () => {
    const stat = parseStat(capture('android-constructed/gki-5.10-arm64/pid-12873-com.example.mail/stat'));
    assert.equal(stat.pid, 12873);
    assert.equal(stat.comm, 'om.example.mail');
    assert.equal(stat.ppid, 723);
    assert.equal(stat.numThreads, 41);
    assert.equal(stat.starttime, 1284473);
    assert.equal(stat.vsize, 15488892928);
    assert.equal(stat.rss, 29874);
    assert.equal(stat.majflt, 1532);
  });

  it('reads a negative nice', () => {
    const stat = parseStat(capture('android-constructed/gki-5.10-arm64/pid-1573-system_server/stat'));
    assert.equal(stat.comm, 'system_server');
    assert.equal(stat.nice, -2);
  });
});

describe('parseStat refuses', () => {
  const line = capture('linux-6.18-x86_64/pid-1/stat');

  it('a line cut short', () => {
    assert.throws(() => parseStat(line.slice(0, 60)), ParseError);
    // Cut right after rss: every field this parser reads is there, but the read was truncated.
    const throughRss = line.split(' ').slice(0, 24).join(' ');
    assert.throws(() => parseStat(throughRss), /only 24 fields/);
  });

  it('a line without "pid (comm)"', () => {
    assert.throws(() => parseStat('process_api S 0 0\n'), ParseError);
    assert.throws(() => parseStat(''), ParseError);
    assert.throws(() => parseStat(line.replace(/^1 /, 'x ')), ParseError);
  });

  it('a non-integer field', () => {
    assert.throws(() => parseStat(line.replace(' 41345024 ', ' 4134x024 ')), /vsize is not an integer/);
  });

  it('a state that is not one letter', () => {
    assert.throws(() => parseStat(line.replace(') S ', ') SS ')), /state/);
  });
});
