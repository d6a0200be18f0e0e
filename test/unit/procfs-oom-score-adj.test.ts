import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ParseError } from '../../src/parse-error.js';
import { parseOomScoreAdj } from '../../src/procfs/oom-score-adj.js';

const capture = (path: string): string =>
  readFileSync(new URL(`../../../test/fixtures/captures/${path}`, import.meta.url), 'utf8');

describe('parseOomScoreAdj', () => {
  it('reads captured values', () => {
    assert.equal(parseOomScoreAdj(capture('linux-6.18-x86_64/pid-1/oom_score_adj')), 0);
    assert.equal(parseOomScoreAdj(capture('linux-6.18-x86_64/pid-argv0-adj900/oom_score_adj')), 900);
    assert.equal(parseOomScoreAdj(capture('android-constructed/gki-5.10-arm64/pid-1573-system_server/oom_score_adj')), -900);
  });

  it('accepts the bounds, with or without the newline', () => {
    assert.equal(parseOomScoreAdj('-1000\n'), -1000);
    assert.equal(parseOomScoreAdj('1000'), 1000);
    assert.ok(Object.is(parseOomScoreAdj('-0\n'), 0));
  });

  it('refuses values out of range', () => {
    assert.throws(() => parseOomScoreAdj('1001\n'), /out of range/);
    assert.throws(() => parseOomScoreAdj('-1001\n'), /out of range/);
  });

  it('refuses anything that is not one integer', () => {
    for (const text of ['', '\n', 'abc\n', '9.5\n', ' 900\n', '900 \n', '900\n\n', '0x10\n', '+5\n', '900\n1\n']) {
      assert.throws(() => parseOomScoreAdj(text), ParseError, JSON.stringify(text));
    }
  });
});
