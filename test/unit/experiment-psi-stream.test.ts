import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PsiStreamParser } from '../../src/experiment-psi-stream.js';

describe('PSI sampled through a device shell', () => {
  it('turns marker-separated pressure files into samples stamped at their marker', () => {
    const parser = new PsiStreamParser();
    const lines = [
      ['@psi', 1000],
      ['some avg10=0.52 avg60=0.20 avg300=0.05 total=1234567', 1001],
      ['full avg10=0.10 avg60=0.04 avg300=0.01 total=234567', 1002],
      ['@psi', 1500],
      ['some avg10=3.00 avg60=0.80 avg300=0.20 total=1300000', 1501],
      ['full avg10=1.50 avg60=0.30 avg300=0.07 total=260000', 1502],
    ] as const;
    const samples = lines.flatMap(([line, t]) => {
      const sample = parser.line(line, t);
      return sample ? [sample] : [];
    });
    assert.deepEqual(
      samples.map((s) => [s.t, s.psi.some.totalUs, s.psi.full?.totalUs]),
      [
        [1000, 1234567, 234567],
        [1500, 1300000, 260000],
      ],
    );
  });

  it('drops and counts a block that is not PSI text', () => {
    const parser = new PsiStreamParser();
    parser.line('@psi', 1);
    parser.line('cat: /sys/fs/cgroup/x/memory.pressure: No such file or directory', 2);
    assert.equal(parser.line('@psi', 3), undefined);
    assert.equal(parser.bad, 1);
    assert.equal(parser.flush(), undefined, 'an empty block is no sample');
  });
});
