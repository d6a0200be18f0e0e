import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCpuList, parseCpuList, parseCpuSpaceList } from '../../src/cpu-list.js';
import { ParseError } from '../../src/parse-error.js';

test('parseCpuList reads kernel range lists', () => {
  assert.deepEqual(parseCpuList('0-3,6,8-9\n'), [0, 1, 2, 3, 6, 8, 9]);
  assert.deepEqual(parseCpuList('0-7\n'), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(parseCpuList('0-4,6-7\n'), [0, 1, 2, 3, 4, 6, 7]);
  assert.deepEqual(parseCpuList('5'), [5]);
  assert.deepEqual(parseCpuList('2-2'), [2]);
});

test('parseCpuList: empty text (e.g. /sys/devices/system/cpu/offline with nothing offline) is no CPUs', () => {
  assert.deepEqual(parseCpuList(''), []);
  assert.deepEqual(parseCpuList('\n'), []);
});

test('parseCpuList sorts and removes duplicates, and tolerates spaces around items', () => {
  assert.deepEqual(parseCpuList('6,0-2,1'), [0, 1, 2, 6]);
  assert.deepEqual(parseCpuList('4, 6'), [4, 6]);
});

test('parseCpuList refuses what it cannot understand', () => {
  for (const bad of ['3-1', 'a', '-1', '1,-2', '1,,2', '1,', ',1', '1-', '-', '0-7:2/4', '1.5', '0x1', '1 2', '0-3 4']) {
    assert.throws(() => parseCpuList(bad, 'online'), ParseError, bad);
  }
});

test('parseCpuList names the source and the bad item', () => {
  assert.throws(() => parseCpuList('3-1\n', '/sys/devices/system/cpu/online'), (error: unknown) => {
    assert.ok(error instanceof ParseError);
    assert.equal(error.source, '/sys/devices/system/cpu/online');
    assert.match(error.message, /3-1/);
    return true;
  });
});

test('parseCpuList refuses ids beyond the kernel limit instead of building a huge list', () => {
  assert.throws(() => parseCpuList('0-999999999'), ParseError);
  assert.throws(() => parseCpuList('99999999999999999999'), ParseError);
});

test('parseCpuSpaceList reads related_cpus / affected_cpus (trailing space, newline)', () => {
  assert.deepEqual(parseCpuSpaceList('0 1 2 3 \n'), [0, 1, 2, 3]);
  assert.deepEqual(parseCpuSpaceList('7 \n'), [7]);
  assert.deepEqual(parseCpuSpaceList('4 6 7'), [4, 6, 7]);
  assert.deepEqual(parseCpuSpaceList(''), []);
  assert.deepEqual(parseCpuSpaceList(' \n'), []);
});

test('parseCpuSpaceList refuses ranges, commas, negatives and words', () => {
  for (const bad of ['0-3', '0,1', '-1', 'cpu0', '1 x']) {
    assert.throws(() => parseCpuSpaceList(bad, 'related_cpus'), ParseError, bad);
  }
});

test('formatCpuList writes the kernel range-list form', () => {
  assert.equal(formatCpuList([0, 1, 2, 3, 6, 8, 9]), '0-3,6,8-9');
  assert.equal(formatCpuList([9, 8, 6, 3, 2, 1, 0, 0]), '0-3,6,8-9');
  assert.equal(formatCpuList([5]), '5');
  assert.equal(formatCpuList([4, 5]), '4-5');
  assert.equal(formatCpuList([]), '');
});

test('formatCpuList round-trips with parseCpuList', () => {
  for (const text of ['0-7', '0-4,6-7', '0,2,4,6', '1-2,7', '']) {
    assert.equal(formatCpuList(parseCpuList(text)), text);
  }
});

test('formatCpuList refuses non-ids', () => {
  assert.throws(() => formatCpuList([-1]), RangeError);
  assert.throws(() => formatCpuList([1.5]), RangeError);
});
