import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ParseError } from '../../src/parse-error.js';
import { parseStatm } from '../../src/procfs/statm.js';

const capture = (path: string): string =>
  readFileSync(new URL(`../../../test/fixtures/captures/${path}`, import.meta.url), 'utf8');

describe('parseStatm', () => {
  it('reads pid 1 on Linux 6.18', () => {
    assert.deepEqual(parseStatm(capture('linux-6.18-x86_64/pid-1/statm')), {
      size: 10094,
      resident: 2862,
      shared: 1616,
      text: 1327,
      lib: 0,
      data: 8252,
      dt: 0,
    });
  });

  it('reads all zeros for a kernel thread and a zombie', () => {
    for (const path of ['linux-6.18-x86_64/pid-2-kthreadd/statm', 'linux-6.18-x86_64/pid-zombie/statm']) {
      const statm = parseStatm(capture(path));
      assert.equal(statm.size, 0);
      assert.equal(statm.resident, 0);
    }
  });

  it('agrees with stat rss on the constructed Android app', () => {
    const statm = parseStatm(capture('android-constructed/gki-5.10-arm64/pid-12873-com.example.mail/statm'));
    assert.equal(statm.resident, 29874);
    assert.equal(statm.size, 3781468);
  });

  it('refuses six or eight numbers, and non-numbers', () => {
    assert.throws(() => parseStatm('1 2 3 4 5 6\n'), ParseError);
    assert.throws(() => parseStatm('1 2 3 4 5 6 7 8\n'), ParseError);
    assert.throws(() => parseStatm('1 2 3 4 5 x 7\n'), /field 6/);
    assert.throws(() => parseStatm(''), ParseError);
  });
});
