import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig, type LmkConfigInput } from '../../src/config.js';
import { chooseVictim, compileRules, isCandidate, type ProcessInfo, type VictimRules } from '../../src/victims.js';

let nextPid = 3000;

/** An app process as the agent's process table holds it; adjSinceMs on the monotonic clock. */
function app(name: string, adj: number, more: Partial<ProcessInfo> = {}): ProcessInfo {
  const pid = more.pid ?? nextPid++;
  return {
    pid,
    startTime: 120_000 + pid,
    adj,
    uid: 10_000 + (pid % 500),
    name,
    rssKb: 150_000,
    swapKb: 40_000,
    isKernelThread: false,
    dying: false,
    adjSinceMs: 5_000_000,
    ...more,
  };
}

function rules(input: LmkConfigInput = {}, selfPids: readonly number[] = [4242], onAndroid = false): VictimRules {
  const result = parseConfig(input);
  if (!result.ok) assert.fail(result.error);
  return compileRules(result.config, selfPids, onAndroid);
}

const stock = rules();

describe('isCandidate', () => {
  const cases: [string, ProcessInfo, string][] = [
    ['init', app('/system/bin/init', 0, { pid: 1 }), 'init'],
    ['the agent itself', app('node', 0, { pid: 4242 }), 'self'],
    ['a kernel thread', app('kswapd0', 0, { pid: 140, isKernelThread: true }), 'kernel-thread'],
    ['a process already dying', app('com.example.dying', 950, { dying: true }), 'dying'],
    ['a native daemon', app('/system/bin/surfaceflinger', -1000), 'negative-adj'],
    ['system_server', app('system_server', -900), 'negative-adj'],
    ['a persistent app', app('com.android.phone', -800), 'negative-adj'],
    ['an app below minAdj', app('com.google.android.apps.maps', 600), 'below-min-adj'],
  ];
  for (const [what, process, reason] of cases) {
    it(`refuses ${what}: ${reason}`, () => {
      assert.deepEqual(isCandidate(process, 701, stock), { candidate: false, reason });
    });
  }

  it('never goes below 0, whatever minAdj says', () => {
    assert.deepEqual(isCandidate(app('com.android.systemui', -800), -1000, stock), { candidate: false, reason: 'negative-adj' });
    assert.deepEqual(isCandidate(app('com.example.fg', 0), -1000, stock), { candidate: true });
  });

  it('refuses a protected name', () => {
    const protect = rules({ protectedPackages: ['^com\\.whatsapp'] });
    assert.deepEqual(isCandidate(app('com.whatsapp', 905), 701, protect), { candidate: false, reason: 'protected' });
    assert.deepEqual(isCandidate(app('com.whatsapp:pushservice', 905), 701, protect), { candidate: false, reason: 'protected' });
    assert.deepEqual(isCandidate(app('com.example', 905), 701, protect), { candidate: true });
  });

  it('takes an app at exactly minAdj', () => {
    assert.deepEqual(isCandidate(app('com.example.prev', 701), 701, stock), { candidate: true });
  });
});

describe('chooseVictim', () => {
  it('returns null when nothing is eligible', () => {
    assert.equal(chooseVictim([], 0, stock), null);
    const table = [app('system_server', -900), app('com.android.launcher3', 600), app('com.example.dying', 999, { dying: true })];
    assert.equal(chooseVictim(table, 701, stock), null);
  });

  it('takes the highest adj first', () => {
    const table = [
      app('com.google.android.apps.photos', 905),
      app('com.spotify.music', 950),
      app('com.android.chrome', 700),
      app('com.google.android.gm', 925),
    ];
    assert.equal(chooseVictim(table, 701, stock)?.name, 'com.spotify.music');
  });

  it('skips what it may not kill and takes the next', () => {
    const table = [
      app('com.example.dying', 999, { dying: true }),
      app('kworker/u16:2', 999, { isKernelThread: true }),
      app('node', 999, { pid: 4242 }),
      app('com.example.next', 980),
    ];
    assert.equal(chooseVictim(table, 701, stock)?.name, 'com.example.next');
  });

  it('above adj 200: the one at that adj longest (lmkd kills the tail of the adj list)', () => {
    const table = [
      app('com.example.recent', 905, { adjSinceMs: 5_090_000, rssKb: 900_000 }),
      app('com.example.oldest', 905, { adjSinceMs: 5_010_000, rssKb: 80_000 }),
      app('com.example.middle', 905, { adjSinceMs: 5_050_000 }),
    ];
    assert.equal(chooseVictim(table, 701, stock)?.name, 'com.example.oldest');
  });

  it('at or below adj 200: the heaviest, RSS + swap', () => {
    const table = [
      app('com.example.music', 200, { rssKb: 300_000, swapKb: 10_000, adjSinceMs: 1 }),
      app('com.example.nav', 200, { rssKb: 250_000, swapKb: 100_000 }),
      app('com.example.fitness', 200, { rssKb: 320_000, swapKb: 0 }),
    ];
    assert.equal(chooseVictim(table, 0, stock)?.name, 'com.example.nav');
  });

  it('killHeaviest: the heaviest at every adj', () => {
    const table = [
      app('com.example.oldest', 905, { adjSinceMs: 5_010_000, rssKb: 80_000 }),
      app('com.example.heavy', 905, { adjSinceMs: 5_090_000, rssKb: 900_000 }),
    ];
    assert.equal(chooseVictim(table, 701, rules({ killHeaviest: true }))?.name, 'com.example.heavy');
  });

  it('breaks remaining ties by weight, then by the lower pid, whatever the table order', () => {
    const a = app('com.example.a', 905, { pid: 5001, adjSinceMs: 7, rssKb: 100_000 });
    const b = app('com.example.b', 905, { pid: 5000, adjSinceMs: 7, rssKb: 100_000 });
    const c = app('com.example.c', 905, { pid: 5002, adjSinceMs: 7, rssKb: 200_000 });
    assert.equal(chooseVictim([a, b], 701, stock)?.pid, 5000);
    assert.equal(chooseVictim([b, a], 701, stock)?.pid, 5000);
    assert.equal(chooseVictim([a, b, c], 701, stock)?.pid, 5002);
    const heavyTie = [app('x', 100, { pid: 6001, adjSinceMs: 3 }), app('y', 100, { pid: 6000, adjSinceMs: 9 })];
    assert.equal(chooseVictim(heavyTie, 0, stock)?.pid, 6001); // equal weight: the one at its adj longer
  });

  it('prefer: a preferred eligible process goes first, even at a lower adj', () => {
    const prefer = rules({ prefer: ['^com\\.facebook\\.'] });
    const table = [app('com.spotify.music', 999), app('com.facebook.katana', 705), app('com.facebook.orca', 710)];
    assert.equal(chooseVictim(table, 701, prefer)?.name, 'com.facebook.orca');
    // ...but only if eligible at minAdj.
    assert.equal(chooseVictim(table, 800, prefer)?.name, 'com.spotify.music');
  });

  it('avoid: an avoided process goes only when nothing else is eligible', () => {
    const avoid = rules({ avoid: ['^com\\.termux$'] });
    const table = [app('com.termux', 999), app('com.example.game', 905)];
    assert.equal(chooseVictim(table, 701, avoid)?.name, 'com.example.game');
    assert.equal(chooseVictim(table, 950, avoid)?.name, 'com.termux');
  });

  it('a name both preferred and avoided counts as preferred', () => {
    const both = rules({ prefer: ['game'], avoid: ['^com\\.example\\.'] });
    const table = [app('com.other', 999), app('com.example.game', 905)];
    assert.equal(chooseVictim(table, 701, both)?.name, 'com.example.game');
  });

  it('protected names are never chosen, even when nothing else is left', () => {
    const protect = rules({ protectedPackages: ['^com\\.example\\.keep$'] });
    assert.equal(chooseVictim([app('com.example.keep', 999)], 0, protect), null);
  });

  it('picks correctly among 1,000 processes', () => {
    const table: ProcessInfo[] = [];
    for (let i = 0; i < 1000; i++) {
      // A realistic spread: natives and system below 0, most apps cached, some services.
      const adj = i < 150 ? -1000 : i < 200 ? -800 : i < 300 ? 0 : i < 400 ? 500 : 900 + (i % 100);
      table.push(
        app(i < 150 ? `/vendor/bin/hw/daemon${i}` : `com.example.app${i}`, adj, {
          pid: 10_000 + i,
          adjSinceMs: 1_000_000 + ((i * 7919) % 1000),
          rssKb: 20_000 + ((i * 104_729) % 400_000),
          isKernelThread: i < 60,
        }),
      );
    }
    const victim = chooseVictim(table, 701, stock);
    // adj 999 holds i = 499, 599, ..., 999: the one longest at that adj wins.
    const at999 = table.filter((p) => p.adj === 999).sort((x, y) => x.adjSinceMs - y.adjSinceMs);
    assert.equal(victim?.pid, at999[0]?.pid);
    // The same answer in any order.
    assert.equal(chooseVictim([...table].reverse(), 701, stock)?.pid, victim?.pid);
    // Below 701 only the 500s and the 0s remain after the cached ones are gone.
    const noCached = table.filter((p) => p.adj < 900);
    assert.equal(chooseVictim(noCached, 201, stock)?.adj, 500);
    const heaviestForeground = noCached
      .filter((p) => p.adj === 0)
      .sort((x, y) => y.rssKb + y.swapKb - (x.rssKb + x.swapKb))[0];
    assert.equal(chooseVictim(noCached.filter((p) => p.adj < 500), 0, stock)?.pid, heaviestForeground?.pid);
  });
});

describe('compileRules', () => {
  it('compiles the patterns once and keeps selfPids', () => {
    const compiled = rules({ protectedPackages: ['^a$'], prefer: ['b'], avoid: ['c', 'd'], killHeaviest: true }, [7, 8]);
    assert.deepEqual(compiled.selfPids, [7, 8]);
    assert.deepEqual(
      compiled.protectedPackages.map((r) => r.source),
      ['^a$'],
    );
    assert.equal(compiled.avoid.length, 2);
    assert.ok(compiled.prefer[0] instanceof RegExp);
    assert.equal(compiled.killHeaviest, true);
  });
});

describe('candidates: apps only', () => {
  const base = { startTime: 1, isKernelThread: false, dying: false, adjSinceMs: 0, rssKb: 1000, swapKb: 0 };
  const adbd = { ...base, pid: 300, adj: 0, uid: 2000, name: 'adbd' };
  const daemon = { ...base, pid: 301, adj: 900, uid: 0, name: 'some-daemon' };
  const app = { ...base, pid: 302, adj: 0, uid: 10_123, name: 'com.example.mail' };
  const secondUserApp = { ...base, pid: 303, adj: 0, uid: 1_010_045, name: 'com.example.maps' };
  const isolated = { ...base, pid: 304, adj: 0, uid: 99_012, name: 'com.android.chrome:sandboxed_process0' };

  it('on Android (auto) only app uids, in any user, and isolated processes are candidates', () => {
    const android = rules({}, [4242], true);
    assert.deepEqual(isCandidate(adbd, 0, android), { candidate: false, reason: 'not-an-app' });
    assert.deepEqual(isCandidate(daemon, 0, android), { candidate: false, reason: 'not-an-app' });
    for (const p of [app, secondUserApp, isolated]) assert.equal(isCandidate(p, 0, android).candidate, true, p.name);
    assert.equal(chooseVictim([adbd, daemon, app], 0, android)?.pid, app.pid, 'the root daemon at 900 is passed over');
  });

  it("elsewhere (auto) any uid is a candidate, and 'apps' or 'all' override the platform", () => {
    assert.equal(isCandidate(daemon, 0, rules()).candidate, true);
    assert.equal(isCandidate(daemon, 0, rules({ candidates: 'apps' })).candidate, false);
    assert.equal(isCandidate(daemon, 0, rules({ candidates: 'all' }, [4242], true)).candidate, true);
  });
});
