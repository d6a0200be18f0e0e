import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ParseError } from '../../src/parse-error.js';
import { parseVmstat } from '../../src/procfs/vmstat.js';

const capture = (path: string): string =>
  readFileSync(new URL(`../../../test/fixtures/captures/${path}`, import.meta.url), 'utf8');

describe('parseVmstat', () => {
  it('reads the Linux 6.18 capture', () => {
    const vm = parseVmstat(capture('linux-6.18-x86_64/vmstat'));
    assert.equal(vm.fields.size, 192);
    assert.equal(vm.nrFreePages, 914746);
    assert.equal(vm.nrInactiveFile, 12471);
    assert.equal(vm.nrActiveFile, 21288);
    assert.equal(vm.workingsetRefaultFile, 10983730);
    assert.equal(vm.fields.get('workingset_refault_anon'), 0);
    assert.equal(vm.pgscanKswapd, 0);
    assert.equal(vm.pgscanDirect, 0);
    assert.equal(vm.pgstealKswapd, 0);
    assert.equal(vm.pgstealDirect, 0);
    assert.equal(vm.pswpin, 0);
    assert.equal(vm.pswpout, 0);
    assert.equal(vm.pgrefill, 0);
    assert.equal(vm.oomKill, 0);
    assert.equal(vm.fields.get('pgscan_file'), 10962103);
  });

  it('reads the Linux 6.18 capture taken under cgroup pressure', () => {
    const vm = parseVmstat(capture('linux-6.18-x86_64-cgroup-pressure/vmstat'));
    assert.equal(vm.nrFreePages, 898051);
    assert.equal(vm.workingsetRefaultFile, 10979619);
  });

  it('uses workingset_refault_file on a 5.10 Android kernel', () => {
    const vm = parseVmstat(capture('android-constructed/gki-5.10-arm64/vmstat'));
    assert.equal(vm.workingsetRefaultFile, 4190256);
    assert.equal(vm.fields.has('workingset_refault'), false);
    assert.equal(vm.nrFreePages, 23862);
    assert.equal(vm.pgscanKswapd, 16402218);
    assert.equal(vm.pgscanDirect, 1512870);
    assert.equal(vm.pgstealKswapd, 11873402);
    assert.equal(vm.pgstealDirect, 982117);
    assert.equal(vm.pswpin, 318772);
    assert.equal(vm.pswpout, 842153);
    assert.equal(vm.pgrefill, 9120387);
  });

  it('falls back to workingset_refault on a 4.19 Android kernel', () => {
    const vm = parseVmstat(capture('android-constructed/android-4.19-arm64/vmstat'));
    assert.equal(vm.workingsetRefaultFile, 2871003);
    assert.equal(vm.fields.has('workingset_refault_file'), false);
    assert.equal(vm.nrFreePages, 31204);
  });

  it('prefers workingset_refault_file when both names appear', () => {
    const text = capture('linux-6.18-x86_64/vmstat') + 'workingset_refault 5\n';
    assert.equal(parseVmstat(text).workingsetRefaultFile, 10983730);
  });

  it('leaves optional counters undefined', () => {
    const text = capture('linux-6.18-x86_64/vmstat').replace(/^(oom_kill|pgrefill) .*\n/gm, '');
    const vm = parseVmstat(text);
    assert.equal(vm.oomKill, undefined);
    assert.equal(vm.pgrefill, undefined);
  });

  it('refuses missing counters, garbage and repeats', () => {
    const text = capture('linux-6.18-x86_64/vmstat');
    assert.throws(() => parseVmstat(''), ParseError);
    assert.throws(() => parseVmstat(text.replace(/^pgscan_direct .*\n/m, '')), /missing pgscan_direct/);
    assert.throws(() => parseVmstat(text.replace(/^workingset_refault_file .*\n/m, '')), /workingset_refault/);
    assert.throws(() => parseVmstat(text + 'garbage\n'), ParseError);
    assert.throws(() => parseVmstat(text + 'nr_free_pages  3\n'), ParseError);
    assert.throws(() => parseVmstat(text + 'nr_free_pages 3\n'), /duplicate/);
    assert.throws(() => parseVmstat(text.replace('nr_free_pages 914746', 'nr_free_pages 9.1')), /nr_free_pages/);
  });
});
