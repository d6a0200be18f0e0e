import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ParseError } from '../../src/parse-error.js';
import { parseMeminfo } from '../../src/procfs/meminfo.js';

const capture = (path: string): string =>
  readFileSync(new URL(`../../../test/fixtures/captures/${path}`, import.meta.url), 'utf8');

describe('parseMeminfo on captures from Linux 6.18', () => {
  it('reads the fields lmkd uses', () => {
    const mi = parseMeminfo(capture('linux-6.18-x86_64/meminfo'));
    assert.equal(mi.memTotalKb, 24684092);
    assert.equal(mi.memFreeKb, 24449564);
    assert.equal(mi.memAvailableKb, 24406892);
    assert.equal(mi.buffersKb, 2300);
    assert.equal(mi.cachedKb, 141592);
    assert.equal(mi.swapCachedKb, 0);
    assert.equal(mi.activeAnonKb, 1520);
    assert.equal(mi.inactiveAnonKb, 4280);
    assert.equal(mi.activeFileKb, 85152);
    assert.equal(mi.inactiveFileKb, 49884);
    assert.equal(mi.unevictableKb, 12340);
    assert.equal(mi.swapTotalKb, 0);
    assert.equal(mi.swapFreeKb, 0);
    assert.equal(mi.shmemKb, 8856);
    assert.equal(mi.sReclaimableKb, 18416);
    assert.equal(mi.sUnreclaimKb, 20572);
    assert.equal(mi.kernelStackKb, 1332);
    assert.equal(mi.pageTablesKb, 1420);
  });

  it('has no CMA or ION lines on this x86 VM', () => {
    const mi = parseMeminfo(capture('linux-6.18-x86_64/meminfo'));
    assert.equal(mi.cmaFreeKb, undefined);
    assert.equal(mi.ionHeapKb, undefined);
    assert.equal(mi.ionHeapPoolKb, undefined);
  });

  it('keeps HugePages_* as counts, apart from the kB lines', () => {
    const mi = parseMeminfo(capture('linux-6.18-x86_64/meminfo'));
    assert.deepEqual([...mi.counts.keys()], ['HugePages_Total', 'HugePages_Free', 'HugePages_Rsvd', 'HugePages_Surp']);
    assert.equal(mi.kb.get('Hugepagesize'), 2048);
    assert.equal(mi.kb.has('HugePages_Total'), false);
    assert.equal(mi.kb.get('DirectMap1G'), 25165824);
    assert.equal(mi.kb.size + mi.counts.size, 54);
  });

  it('reads the capture taken while a cgroup thrashed its page cache', () => {
    const mi = parseMeminfo(capture('linux-6.18-x86_64-cgroup-pressure/meminfo'));
    assert.equal(mi.memTotalKb, 24684092);
    assert.equal(mi.memFreeKb, 24382784);
  });
});

describe('parseMeminfo on Android-format text (constructed)', () => {
  it('reads CmaFree and the vendor ION lines of a GKI 5.10 phone', () => {
    const mi = parseMeminfo(capture('android-constructed/gki-5.10-arm64/meminfo'));
    assert.equal(mi.memTotalKb, 5621384);
    assert.equal(mi.memFreeKb, 95448);
    assert.equal(mi.cmaFreeKb, 12844);
    assert.equal(mi.ionHeapKb, 402716);
    assert.equal(mi.ionHeapPoolKb, 61440);
    assert.equal(mi.swapFreeKb, 1702316);
    assert.equal(mi.kb.get('ShadowCallStack'), 13216);
    assert.equal(mi.counts.size, 0);
  });

  it('leaves ION undefined where the kernel does not print it', () => {
    const mi = parseMeminfo(capture('android-constructed/gki-5.15-arm64/meminfo'));
    assert.equal(mi.cmaFreeKb, 9712);
    assert.equal(mi.ionHeapKb, undefined);
  });
});

describe('parseMeminfo refuses', () => {
  const text = capture('linux-6.18-x86_64/meminfo');

  it('empty text', () => {
    assert.throws(() => parseMeminfo(''), /missing MemTotal/);
  });

  it('text without MemTotal or MemFree', () => {
    assert.throws(() => parseMeminfo(text.replace(/^MemTotal:.*\n/m, '')), /MemTotal/);
    assert.throws(() => parseMeminfo(text.replace(/^MemFree:.*\n/m, '')), /MemFree/);
  });

  it('MemTotal given as a count rather than kB', () => {
    assert.throws(() => parseMeminfo(text.replace('MemTotal:       24684092 kB', 'MemTotal: 24684092')), /MemTotal/);
  });

  it('garbage, another unit, a non-integer, a repeated key', () => {
    assert.throws(() => parseMeminfo(text + 'garbage\n'), ParseError);
    assert.throws(() => parseMeminfo(text + 'Gpu:    12 MB\n'), ParseError);
    assert.throws(() => parseMeminfo(text.replace('MemFree:        24449564 kB', 'MemFree:        2444956x kB')), /MemFree/);
    assert.throws(() => parseMeminfo(text + 'MemFree:  1 kB\n'), /duplicate/);
  });
});
