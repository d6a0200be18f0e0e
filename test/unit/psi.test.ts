import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ParseError } from '../../src/parse-error.js';
import { parsePsi } from '../../src/psi.js';

const capture = (path: string): string =>
  readFileSync(new URL(`../../../test/fixtures/captures/${path}`, import.meta.url), 'utf8');

describe('parsePsi', () => {
  it('reads /proc/pressure/memory captured while a cgroup thrashed', () => {
    const psi = parsePsi(capture('linux-6.18-x86_64-cgroup-pressure/pressure-memory'));
    assert.deepEqual(psi.some, { avg10: 0.94, avg60: 0.33, avg300: 0.08, totalUs: 394313 });
    assert.deepEqual(psi.full, { avg10: 0.83, avg60: 0.26, avg300: 0.06, totalUs: 307559 });
  });

  it('reads a cgroup2 memory.pressure file the same way', () => {
    const psi = parsePsi(capture('linux-6.18-x86_64-cgroup-pressure/cgroup2-memory.pressure'));
    assert.equal(psi.some.totalUs, 394313);
    assert.equal(psi.full?.avg10, 0.83);
  });

  it('reads the later captures, with memory pressure decaying and cpu busy', () => {
    const memory = parsePsi(capture('linux-6.18-x86_64/pressure-memory'));
    assert.deepEqual(memory.some, { avg10: 0.63, avg60: 0.31, avg300: 0.07, totalUs: 394404 });
    assert.deepEqual(parsePsi(capture('linux-6.18-x86_64/cgroup2-memory.pressure')), memory);
    const cpu = parsePsi(capture('linux-6.18-x86_64/pressure-cpu'));
    assert.deepEqual(cpu.some, { avg10: 2.95, avg60: 2.86, avg300: 1.28, totalUs: 7800713 });
    assert.equal(cpu.full?.totalUs, 0);
  });

  it('has no full line for cpu on a 4.19 kernel', () => {
    const psi = parsePsi(capture('android-constructed/android-4.19-arm64/pressure-cpu'));
    assert.equal(psi.some.avg10, 12.04);
    assert.equal(psi.full, undefined);
  });

  it('reads constructed Android memory pressure', () => {
    const psi = parsePsi(capture('android-constructed/gki-5.15-arm64/pressure-memory'));
    assert.equal(psi.some.avg10, 23.41);
    assert.equal(psi.full?.avg300, 1.48);
    assert.equal(psi.full?.totalUs, 803311207);
  });

  it('accepts a full 100.00 and no trailing newline', () => {
    const psi = parsePsi('some avg10=100.00 avg60=99.99 avg300=0.01 total=18446744073\n'.trimEnd());
    assert.equal(psi.some.avg10, 100);
    assert.equal(psi.some.totalUs, 18446744073);
  });

  it('tolerates extra fields and extra kinds of line a kernel may add', () => {
    const text = 'some avg10=1.00 avg60=2.00 avg300=3.00 total=4 avg600=5.00\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\nirq avg10=0.00 total=7\n';
    assert.equal(parsePsi(text).some.avg300, 3);
  });

  it('refuses a line with a field missing, out of order or malformed', () => {
    for (const text of [
      'some avg10=0.00 avg60=0.00 total=0\n',
      'some avg10=0.00 avg60=0.00 avg300=0.00\n',
      'some avg60=0.00 avg10=0.00 avg300=0.00 total=0\n',
      'some avg10=0.0 avg60=0.00 avg300=0.00 total=0\n',
      'some avg10=x.00 avg60=0.00 avg300=0.00 total=0\n',
      'some avg10=0.00 avg60=0.00 avg300=0.00 total=-1\n',
      'some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00\n',
    ]) {
      assert.throws(() => parsePsi(text), ParseError, JSON.stringify(text));
    }
  });

  it('refuses text without a some line, garbage and repeated lines', () => {
    assert.throws(() => parsePsi(''), /missing "some"/);
    assert.throws(() => parsePsi('full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n'), /missing "some"/);
    assert.throws(() => parsePsi('garbage\n'), ParseError);
    const some = 'some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n';
    assert.throws(() => parsePsi(some + some), /duplicate/);
  });
});
