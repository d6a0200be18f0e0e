import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stallSinceIsReal, stallTotalUs } from '../../src/psi-event-check.js';
import { parsePsi } from '../../src/psi.js';

describe('a PSI event', () => {
  it('counts only when the stall total grew by the threshold since the trigger opened or last fired', () => {
    // A group with 2.3 s of old stall: a new "full 200ms/2s" trigger fired after ~80 ms of new stall.
    assert.equal(stallSinceIsReal(2_300_000, 2_380_000, 200_000), false);
    assert.equal(stallSinceIsReal(2_300_000, 2_520_000, 200_000), true);
    assert.equal(stallSinceIsReal(0, 200_000, 200_000), true);
  });

  it('reads the totals of either line', () => {
    const psi = parsePsi('some avg10=1.00 avg60=0.50 avg300=0.10 total=123456\nfull avg10=0.50 avg60=0.20 avg300=0.05 total=65432\n');
    assert.equal(stallTotalUs(psi, 'some'), 123456);
    assert.equal(stallTotalUs(psi, 'full'), 65432);
  });
});
