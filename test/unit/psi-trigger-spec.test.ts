import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatTrigger, scaleToUnprivilegedWindow } from '../../native/psi-trigger.js';

describe('PSI trigger specs', () => {
  it('are written as the kernel expects them', () => {
    assert.equal(formatTrigger({ kind: 'some', stallUs: 70_000, windowUs: 1_000_000 }), 'some 70000 1000000');
  });

  it('scale to a 2 s window keeping the stall share', () => {
    assert.deepEqual(scaleToUnprivilegedWindow({ kind: 'some', stallUs: 70_000, windowUs: 1_000_000 }), { kind: 'some', stallUs: 140_000, windowUs: 2_000_000 });
    assert.deepEqual(scaleToUnprivilegedWindow({ kind: 'full', stallUs: 700_000, windowUs: 1_000_000 }), { kind: 'full', stallUs: 1_400_000, windowUs: 2_000_000 });
    assert.deepEqual(scaleToUnprivilegedWindow({ kind: 'some', stallUs: 300_000, windowUs: 3_000_000 }), { kind: 'some', stallUs: 400_000, windowUs: 4_000_000 });
    assert.deepEqual(scaleToUnprivilegedWindow({ kind: 'some', stallUs: 100_000, windowUs: 4_000_000 }), { kind: 'some', stallUs: 100_000, windowUs: 4_000_000 });
  });
});
