import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig, type LmkConfig, type LmkConfigInput } from '../../src/config.js';
import type { MemorySample } from '../../src/memory-sample.js';
import { decide, initialPolicyState, type DecideResult, type PolicyState, type Trigger } from '../../src/policy.js';

// A phone with 8 GiB of RAM and 4 GiB of zram, 4 KiB pages, numbers in the range a Pixel shows.
const SWAP_TOTAL_KB = 4 * 1024 * 1024; // swap is low below 10 % of this: 419430 kB
const MIN_KB = 60_000;
const LOW_KB = 140_000;
const HIGH_KB = 220_000;
const CMA_FREE_KB = 20_000;

/** Free memory that puts free − CmaFree in each watermark band. */
const FREE = {
  plenty: 900_000,
  belowHigh: 200_000, // 180000 after CMA: between low and high
  belowLow: 100_000, // 80000: between min and low
  belowMin: 50_000, // 30000: under min
};

function healthyPhone(atMs = 5_000_000): MemorySample {
  return {
    atMs,
    pageKb: 4,
    freeKb: FREE.plenty,
    cmaFreeKb: CMA_FREE_KB,
    fileLruKb: 2_000_000,
    inactiveFileKb: 900_000,
    anonKb: 3_600_000,
    shmemKb: 60_000,
    swapTotalKb: SWAP_TOTAL_KB,
    swapFreeKb: 2_500_000,
    watermarks: { minKb: MIN_KB, lowKb: LOW_KB, highKb: HIGH_KB },
    vmstat: { workingsetRefault: 1_200_000, pgscanDirect: 50_000, pgscanKswapd: 9_000_000, pgrefill: 5_000_000 },
    psi: { someAvg10: 0.5, fullAvg10: 0.1 },
  };
}

/** What changes from one sample to the next; counters are increments in pages. */
interface Change {
  freeKb?: number;
  swapFreeKb?: number;
  fileLruKb?: number;
  inactiveFileKb?: number;
  refaults?: number;
  directScan?: number;
  kswapdScan?: number;
  psi?: MemorySample['psi'];
}

function nextSample(previous: MemorySample, afterMs: number, change: Change): MemorySample {
  const v = previous.vmstat;
  return {
    ...previous,
    atMs: previous.atMs + afterMs,
    freeKb: change.freeKb ?? previous.freeKb,
    swapFreeKb: change.swapFreeKb ?? previous.swapFreeKb,
    fileLruKb: change.fileLruKb ?? previous.fileLruKb,
    inactiveFileKb: change.inactiveFileKb ?? previous.inactiveFileKb,
    psi: change.psi ?? previous.psi,
    vmstat: {
      workingsetRefault: v.workingsetRefault + (change.refaults ?? 0),
      pgscanDirect: v.pgscanDirect + (change.directScan ?? 0),
      pgscanKswapd: v.pgscanKswapd + (change.kswapdScan ?? 0),
      pgrefill: v.pgrefill,
    },
  };
}

function config(input: LmkConfigInput = {}): LmkConfig {
  const result = parseConfig(input);
  if (!result.ok) assert.fail(result.error);
  return result.config;
}

interface Step extends Change {
  /** ms since the previous step. */
  after?: number;
  trigger?: Trigger;
  afterKill?: boolean;
  /** The device found no eligible process for this step's decision. */
  noVictim?: boolean;
}

/** Plays the device: threads the state through decide(), as the agent's main loop does. */
class Replay {
  state: PolicyState = initialPolicyState();
  sample: MemorySample;
  readonly config: LmkConfig;

  constructor(input: LmkConfigInput = {}, first: MemorySample = healthyPhone()) {
    this.config = config(input);
    // The sample before the first step; steps apply changes on top of it.
    this.sample = first;
  }

  step(step: Step = {}): DecideResult {
    this.sample = nextSample(this.sample, step.after ?? 100, step);
    const result = decide(
      { sample: this.sample, trigger: step.trigger ?? 'poll', afterKill: step.afterKill ?? false },
      this.state,
      this.config,
    );
    this.state = result.decision && step.noVictim ? result.ifNoVictim.state : result.state;
    return result;
  }

  /** A quiet "some" event to seed the previous counters, as the agent's first wakeup would. */
  start(change: Change = {}): DecideResult {
    return this.step({ after: 0, trigger: 'some', kswapdScan: 2_000, ...change });
  }
}

function decisionOf(result: DecideResult): { reason: string; minAdj: number } | null {
  return result.decision && { reason: result.decision.reason, minAdj: result.decision.minAdj };
}

describe('decide: reasons', () => {
  it('a full-stall PSI event → NOT_RESPONDING down to 0', () => {
    const device = new Replay();
    device.start();
    const result = device.step({ after: 300, trigger: 'full', kswapdScan: 40_000, refaults: 3_000, freeKb: FREE.belowHigh });
    assert.deepEqual(decisionOf(result), { reason: 'NOT_RESPONDING', minAdj: 0 });
    assert.equal(result.decision?.description, 'device is not responding');
  });

  it('a poll is never NOT_RESPONDING, however high full avg10 is', () => {
    const device = new Replay();
    device.start();
    const result = device.step({ kswapdScan: 40_000, freeKb: FREE.belowHigh, psi: { someAvg10: 60, fullAvg10: 40 } });
    assert.equal(result.decision, null);
  });

  it('below the low watermark with plenty of swap → LOW_MEM down to 701 (cached apps)', () => {
    const device = new Replay();
    device.start();
    const result = device.step({ kswapdScan: 25_000, freeKb: FREE.belowLow });
    assert.deepEqual(decisionOf(result), { reason: 'LOW_MEM', minAdj: 701 });
    assert.equal(result.decision?.description, 'low watermark is breached');
  });

  it('below min with plenty of swap is still LOW_MEM at 701, described as min', () => {
    const device = new Replay();
    device.start();
    const result = device.step({ kswapdScan: 25_000, freeKb: FREE.belowMin });
    assert.deepEqual(decisionOf(result), { reason: 'LOW_MEM', minAdj: 701 });
    assert.equal(result.decision?.description, 'min watermark is breached');
  });

  it('between the low and high watermarks nothing is killed', () => {
    const device = new Replay();
    device.start();
    assert.equal(device.step({ kswapdScan: 25_000, freeKb: FREE.belowHigh }).decision, null);
  });

  it('low swap below the low watermark → LOW_MEM_AND_SWAP down to 201, and to 0 below min', () => {
    const device = new Replay();
    device.start({ swapFreeKb: 300_000 });
    const low = device.step({ kswapdScan: 25_000, freeKb: FREE.belowLow });
    assert.deepEqual(decisionOf(low), { reason: 'LOW_MEM_AND_SWAP', minAdj: 201 });
    assert.equal(low.decision?.description, 'low watermark is breached and swap is low (300000kB < 419430kB)');

    const min = device.step({ after: 100, afterKill: true, kswapdScan: 25_000, freeKb: FREE.belowMin });
    // After a kill, a min breach is PRESSURE_AFTER_KILL; without one it is LOW_MEM_AND_SWAP at 0.
    assert.deepEqual(decisionOf(min), { reason: 'PRESSURE_AFTER_KILL', minAdj: 0 });
    const fresh = new Replay();
    fresh.start({ swapFreeKb: 300_000 });
    const minNoKill = fresh.step({ kswapdScan: 25_000, freeKb: FREE.belowMin });
    assert.deepEqual(decisionOf(minNoKill), { reason: 'LOW_MEM_AND_SWAP', minAdj: 0 });
    assert.equal(minNoKill.decision?.description, 'min watermark is breached and swap is low (300000kB < 419430kB)');
  });

  it('zram: free swap counts only as far as free RAM can back it (swapCompressionRatio)', () => {
    // 2.5 GB of SwapFree, but only 100 MB free + 200 MB inactive file to hold it.
    const squeezed: Change = { kswapdScan: 25_000, freeKb: FREE.belowLow, inactiveFileKb: 200_000 };
    const device = new Replay();
    device.start();
    const result = device.step(squeezed);
    assert.deepEqual(decisionOf(result), { reason: 'LOW_MEM_AND_SWAP', minAdj: 201 });
    assert.match(result.decision?.description ?? '', /swap is low \(300000kB < 419430kB\)/);

    const trusting = new Replay({ swapCompressionRatio: 0 });
    trusting.start();
    assert.deepEqual(decisionOf(trusting.step(squeezed)), { reason: 'LOW_MEM', minAdj: 701 });
  });

  it('swapFreeLowPercent 0: swap is never low', () => {
    const device = new Replay({ swapFreeLowPercent: 0 });
    device.start({ swapFreeKb: 0 });
    assert.deepEqual(decisionOf(device.step({ kswapdScan: 25_000, freeKb: FREE.belowLow })), { reason: 'LOW_MEM', minAdj: 701 });
  });

  it('thrashing (refaults vs file LRU) below the low watermark → LOW_MEM_AND_THRASHING at 201, critical → 0', () => {
    // Page cache squeezed to 400 MB (100000 pages) and refaulting hard.
    const device = new Replay();
    device.start({ fileLruKb: 400_000, freeKb: FREE.belowHigh });
    const warming = device.step({ kswapdScan: 20_000, refaults: 60_000 });
    assert.equal(warming.decision, null); // 59 %, and above the low watermark anyway
    const thrashing = device.step({ kswapdScan: 20_000, refaults: 70_000, freeKb: FREE.belowLow });
    assert.deepEqual(decisionOf(thrashing), { reason: 'LOW_MEM_AND_THRASHING', minAdj: 201 });
    assert.equal(thrashing.decision?.description, 'low watermark is breached and thrashing (129%)');
    assert.equal(thrashing.decision?.thrashingPercent, 129);
    assert.equal(thrashing.decision?.maxThrashingPercent, 129);

    const critical = new Replay();
    critical.start({ fileLruKb: 400_000, freeKb: FREE.belowHigh });
    const result = critical.step({ kswapdScan: 20_000, refaults: 310_000, freeKb: FREE.belowLow });
    assert.deepEqual(decisionOf(result), { reason: 'LOW_MEM_AND_THRASHING', minAdj: 0 });
    assert.equal(result.decision?.thrashingPercent, 309);
  });

  it('low swap and thrashing → LOW_SWAP_AND_THRASHING, even above the low watermark', () => {
    const device = new Replay();
    device.start({ fileLruKb: 400_000, swapFreeKb: 300_000 });
    const result = device.step({ kswapdScan: 20_000, refaults: 120_000 });
    assert.deepEqual(decisionOf(result), { reason: 'LOW_SWAP_AND_THRASHING', minAdj: 201 });
    assert.equal(result.decision?.description, 'device is low on swap (300000kB < 419430kB) and thrashing (119%)');
  });

  it('low swap and critical thrashing (≥ 3 × the limit) → LOW_SWAP_AND_THRASHING down to 0', () => {
    const device = new Replay();
    device.start({ fileLruKb: 400_000, swapFreeKb: 300_000 });
    assert.deepEqual(decisionOf(device.step({ kswapdScan: 20_000, refaults: 301_000 })), {
      reason: 'LOW_SWAP_AND_THRASHING',
      minAdj: 0,
    });
  });

  it('direct reclaim and thrashing → DIRECT_RECL_AND_THRASHING at 201', () => {
    const device = new Replay();
    device.start({ fileLruKb: 400_000 });
    const result = device.step({ directScan: 8_000, kswapdScan: 20_000, refaults: 110_000 });
    assert.deepEqual(decisionOf(result), { reason: 'DIRECT_RECL_AND_THRASHING', minAdj: 201 });
    assert.equal(result.decision?.description, 'device is in direct reclaim and thrashing (109%)');
  });

  it('thrashing without direct reclaim or a low watermark kills nothing', () => {
    const device = new Replay();
    device.start({ fileLruKb: 400_000 });
    assert.equal(device.step({ kswapdScan: 20_000, refaults: 110_000 }).decision, null);
  });

  it('the first decision after a kill with min breached → PRESSURE_AFTER_KILL down to 0', () => {
    const device = new Replay();
    device.start();
    assert.deepEqual(decisionOf(device.step({ kswapdScan: 25_000, freeKb: FREE.belowLow })), { reason: 'LOW_MEM', minAdj: 701 });
    // The victim died 60 ms later; memory is being eaten faster than the kill freed it.
    const after = device.step({ after: 60, afterKill: true, kswapdScan: 30_000, freeKb: FREE.belowMin });
    assert.deepEqual(decisionOf(after), { reason: 'PRESSURE_AFTER_KILL', minAdj: 0 });
    assert.equal(after.decision?.description, 'min watermark is breached even after kill');
    // Only the first decision after a kill: the next one below min is LOW_MEM again.
    const later = device.step({ after: 60, kswapdScan: 30_000, freeKb: FREE.belowMin });
    assert.deepEqual(decisionOf(later), { reason: 'LOW_MEM', minAdj: 701 });
  });

  it('after a kill, only a min breach is PRESSURE_AFTER_KILL', () => {
    const device = new Replay();
    device.start();
    device.step({ kswapdScan: 25_000, freeKb: FREE.belowLow });
    const after = device.step({ after: 60, afterKill: true, kswapdScan: 30_000, freeKb: FREE.belowLow });
    assert.deepEqual(decisionOf(after), { reason: 'LOW_MEM', minAdj: 701 });
  });

  it('a critical full stall (stallLimitCriticalPercent) lowers any reason to 0', () => {
    const device = new Replay({ stallLimitCriticalPercent: 30 });
    device.start();
    const result = device.step({ kswapdScan: 25_000, freeKb: FREE.belowLow, psi: { someAvg10: 70, fullAvg10: 45 } });
    assert.deepEqual(decisionOf(result), { reason: 'LOW_MEM', minAdj: 0 });
    assert.equal(result.decision?.description, 'low watermark is breached; memory full stall 45% > 30%');

    const stock = new Replay();
    stock.start();
    const same = stock.step({ kswapdScan: 25_000, freeKb: FREE.belowLow, psi: { someAvg10: 70, fullAvg10: 45 } });
    assert.deepEqual(decisionOf(same), { reason: 'LOW_MEM', minAdj: 701 });
  });

  it('minAdj.lowMemory 1001 turns LOW_MEM off', () => {
    const device = new Replay({ minAdj: { lowMemory: 1001 } });
    device.start();
    assert.equal(device.step({ kswapdScan: 25_000, freeKb: FREE.belowMin }).decision, null);
  });

  it('the floors come from the config', () => {
    const device = new Replay({ minAdj: { lowSwap: 500, minWatermark: 100 } });
    device.start({ swapFreeKb: 300_000 });
    assert.deepEqual(decisionOf(device.step({ kswapdScan: 25_000, freeKb: FREE.belowLow })), {
      reason: 'LOW_MEM_AND_SWAP',
      minAdj: 500,
    });
    assert.deepEqual(decisionOf(device.step({ kswapdScan: 25_000, freeKb: FREE.belowMin, noVictim: true })), {
      reason: 'LOW_MEM_AND_SWAP',
      minAdj: 100,
    });
  });
});

describe('decide: early bail-out', () => {
  it('no reclaim and no new refaults → null, even below the min watermark', () => {
    const device = new Replay();
    device.start({ freeKb: FREE.belowMin });
    // Counters unchanged since the last call: lmkd waits for them to move.
    const result = device.step({ trigger: 'some', freeKb: FREE.belowMin });
    assert.equal(result.decision, null);
    // The event still opens a polling window.
    assert.equal(result.pollIntervalMs, 100);
  });

  it('the first call cannot tell, so it does not bail out', () => {
    const device = new Replay();
    const first = device.step({ after: 0, trigger: 'some', freeKb: FREE.belowLow });
    assert.deepEqual(decisionOf(first), { reason: 'LOW_MEM', minAdj: 701 });
  });

  it('new refaults alone are enough to judge', () => {
    const device = new Replay();
    device.start();
    assert.deepEqual(decisionOf(device.step({ refaults: 500, freeKb: FREE.belowLow })), { reason: 'LOW_MEM', minAdj: 701 });
  });
});

describe('decide: polling', () => {
  it('after an event: every 100 ms, for 1 s, then stops', () => {
    const device = new Replay();
    assert.equal(device.start().pollIntervalMs, 100);
    for (let t = 100; t <= 1000; t += 100) {
      assert.equal(device.step({ kswapdScan: 1_000 }).pollIntervalMs, 100, `poll at ${t} ms`);
    }
    assert.equal(device.step({ kswapdScan: 1_000 }).pollIntervalMs, null);
    assert.equal(device.state.polling, null);
  });

  it('every 10 ms while swap is low', () => {
    const device = new Replay();
    assert.equal(device.start({ swapFreeKb: 300_000 }).pollIntervalMs, 10);
    assert.equal(device.step({ after: 10, kswapdScan: 1_000 }).pollIntervalMs, 10);
    // Swap recovered: back to 100 ms, same window.
    assert.equal(device.step({ after: 10, kswapdScan: 1_000, swapFreeKb: 2_000_000 }).pollIntervalMs, 100);
  });

  it('every 10 ms after a kill; the slow interval if there was no victim after all', () => {
    const device = new Replay();
    device.start();
    const result = device.step({ kswapdScan: 25_000, freeKb: FREE.belowLow });
    assert.ok(result.decision);
    assert.equal(result.pollIntervalMs, 10);
    assert.equal(result.ifNoVictim.pollIntervalMs, 100);
  });

  it('a kill and the decision after it reopen the window', () => {
    const device = new Replay();
    device.start();
    device.step({ after: 900, kswapdScan: 25_000, freeKb: FREE.belowLow }); // kill at 900 ms
    const after = device.step({ after: 80, afterKill: true, kswapdScan: 1_000, freeKb: FREE.plenty });
    assert.equal(after.decision, null);
    assert.equal(after.pollIntervalMs, 100);
    assert.equal(device.state.polling?.startMs, device.sample.atMs);
    // 980 ms after the event, 1080 after it: still polling, the window runs from the kill.
    assert.equal(device.step({ after: 900, kswapdScan: 1_000 }).pollIntervalMs, 100);
    assert.equal(device.step({ after: 200, kswapdScan: 1_000 }).pollIntervalMs, null);
  });

  it('direct reclaim keeps the window open; kswapd alone does not', () => {
    const device = new Replay();
    device.start();
    device.step({ after: 900, directScan: 500 }); // reopens at 900 ms
    assert.equal(device.step({ after: 600, kswapdScan: 1_000 }).pollIntervalMs, 100); // 1500 ms: still open
    assert.equal(device.step({ after: 500, kswapdScan: 1_000 }).pollIntervalMs, null); // 2000 ms: closed
  });

  it('a poll with polling already over returns null', () => {
    const device = new Replay();
    assert.equal(device.step({ trigger: 'poll', kswapdScan: 1_000 }).pollIntervalMs, null);
  });
});

describe('decide: events', () => {
  it('a "some" event right after a "full" one is ignored until the next poll', () => {
    const device = new Replay();
    device.start();
    const full = device.step({ after: 200, trigger: 'full', kswapdScan: 20_000, noVictim: true });
    assert.equal(full.decision?.reason, 'NOT_RESPONDING');
    const stateBefore = device.state;
    const some = device.step({ after: 30, trigger: 'some', kswapdScan: 20_000, freeKb: FREE.belowLow });
    assert.equal(some.decision, null);
    assert.equal(some.state.vmstat, stateBefore.vmstat); // not even looked at
    assert.equal(some.pollIntervalMs, 100);
    device.step({ after: 70, kswapdScan: 20_000 }); // a poll resets the level
    const next = device.step({ after: 30, trigger: 'some', kswapdScan: 20_000, freeKb: FREE.belowLow });
    assert.deepEqual(decisionOf(next), { reason: 'LOW_MEM', minAdj: 701 });
  });

  it('the decision after a kill is never ignored', () => {
    const device = new Replay();
    device.start();
    device.step({ after: 200, trigger: 'full', kswapdScan: 20_000 });
    const after = device.step({ after: 50, trigger: 'some', afterKill: true, kswapdScan: 20_000, freeKb: FREE.belowMin });
    assert.equal(after.decision?.reason, 'PRESSURE_AFTER_KILL');
  });
});

describe('decide: thrashing over time', () => {
  it('carries the last window halved per window passed', () => {
    const device = new Replay();
    device.start({ fileLruKb: 400_000 }); // t = 0, window starts
    assert.equal(device.step({ after: 500, kswapdScan: 1_000, refaults: 80_000 }).decision, null); // 79 %
    assert.equal(device.state.thrashing?.maxPercent, 79);
    // Crossing the window at 1100 ms: 79 % < 100 % limit, so it decays to 39 %.
    device.step({ after: 600, kswapdScan: 1_000 });
    assert.equal(device.state.thrashing?.carriedPercent, 39);
    // In the new window: 10000 refaults of 100001 pages (9 %, rounded down as lmkd does) on top of the carried 39 %.
    const result = device.step({ after: 100, kswapdScan: 1_000, refaults: 10_000, freeKb: FREE.belowLow });
    assert.equal(result.decision?.reason, 'LOW_MEM');
    assert.equal(result.decision?.thrashingPercent, 48);
  });

  it('decays by ¼ when two windows passed', () => {
    const device = new Replay();
    device.start({ fileLruKb: 400_000 });
    device.step({ after: 500, kswapdScan: 1_000, refaults: 80_000 });
    device.step({ after: 1_600, kswapdScan: 1_000 }); // 2100 ms: two windows
    assert.equal(device.state.thrashing?.carriedPercent, 19);
  });

  it('keeps an over-the-limit window whole when nothing could be killed, so it kills once something can', () => {
    const device = new Replay();
    device.start({ fileLruKb: 400_000 });
    const over = device.step({ after: 500, kswapdScan: 1_000, refaults: 150_000, freeKb: FREE.belowLow, noVictim: true });
    assert.equal(over.decision?.reason, 'LOW_MEM_AND_THRASHING');
    device.step({ after: 600, kswapdScan: 1_000, freeKb: FREE.belowLow, noVictim: true }); // crosses the window
    assert.equal(device.state.thrashing?.carriedPercent, 149);
    const again = device.step({ after: 100, kswapdScan: 1_000, freeKb: FREE.belowLow });
    assert.equal(again.decision?.reason, 'LOW_MEM_AND_THRASHING');
    assert.equal(again.decision?.thrashingPercent, 149);
  });

  it('cuts the limit by 10 % after each thrashing kill, restores it each window', () => {
    const device = new Replay();
    device.start({ fileLruKb: 400_000 });
    device.step({ kswapdScan: 1_000, refaults: 110_000, freeKb: FREE.belowLow });
    assert.equal(device.state.thrashing?.limitPercent, 90);
    assert.equal(device.state.thrashing?.maxPercent, 0); // reset by the kill
    // The victim died: new baseline. 95 % is now over the cut limit of 90 %.
    device.step({ after: 50, afterKill: true, kswapdScan: 1_000, freeKb: FREE.belowLow, noVictim: true });
    const second = device.step({ after: 50, kswapdScan: 1_000, refaults: 95_000, freeKb: FREE.belowLow });
    assert.equal(second.decision?.reason, 'LOW_MEM_AND_THRASHING');
    assert.equal(device.state.thrashing?.limitPercent, 81);
    device.step({ after: 1_100, kswapdScan: 1_000 });
    assert.equal(device.state.thrashing?.limitPercent, 100);
  });

  it('no victim: the limit is not cut', () => {
    const device = new Replay();
    device.start({ fileLruKb: 400_000 });
    const result = device.step({ kswapdScan: 1_000, refaults: 110_000, freeKb: FREE.belowLow, noVictim: true });
    assert.equal(result.decision?.reason, 'LOW_MEM_AND_THRASHING');
    assert.equal(device.state.thrashing?.limitPercent, 100);
    assert.equal(device.state.thrashing?.maxPercent, 109);
  });

  it('the window restarts after a kill: refaults before it no longer count', () => {
    const device = new Replay();
    device.start({ fileLruKb: 400_000 });
    device.step({ kswapdScan: 1_000, refaults: 60_000, freeKb: FREE.belowLow }); // LOW_MEM kill at 59 %
    const after = device.step({ after: 50, afterKill: true, kswapdScan: 1_000, refaults: 50_000, freeKb: FREE.belowLow });
    // 59 % + 50 % would be thrashing; from the new baseline it is 0 %.
    assert.equal(after.decision?.reason, 'LOW_MEM');
    assert.equal(after.decision?.thrashingPercent, 0);
  });
});

describe('decide: purity', () => {
  it('does not change its inputs and gives the same answer twice', () => {
    const device = new Replay();
    device.start();
    const state = device.state;
    const frozen = JSON.stringify(state);
    const sample = nextSample(device.sample, 100, { kswapdScan: 1_000, freeKb: FREE.belowLow });
    const input = { sample, trigger: 'poll' as const, afterKill: false };
    const a = decide(input, state, device.config);
    const b = decide(input, state, device.config);
    assert.deepEqual(a, b);
    assert.equal(JSON.stringify(state), frozen);
  });
});
