import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LmkConfigSchema, parseConfig, parseConfigText, type LmkConfig } from '../../src/config.js';

function errorOf(json: unknown): string {
  const result = parseConfig(json);
  assert.equal(result.ok, false, `expected ${JSON.stringify(json)} to be refused`);
  return result.ok ? '' : result.error;
}

function configOf(json: unknown): LmkConfig {
  const result = parseConfig(json);
  if (!result.ok) assert.fail(result.error);
  return result.config;
}

describe('config defaults', () => {
  it("are stock lmkd's values (lmkd.md §5), so {} is a whole config", () => {
    const expected: LmkConfig = {
      scope: { kind: 'system' },
      psi: { partialStallMs: 70, completeStallMs: 700, windowMs: 1000 },
      polling: { fastIntervalMs: 10, slowIntervalMs: 100, windowMs: 1000 },
      killTimeoutMs: 100,
      minAdj: {
        lowMemory: 701,
        thrashing: 201,
        lowSwap: 201,
        criticalThrashing: 0,
        fullStall: 0,
        minWatermark: 0,
        pressureAfterKill: 0,
      },
      swapFreeLowPercent: 10,
      swapCompressionRatio: 1,
      thrashing: { limitPercent: 100, decayPercent: 10, criticalPercent: 300 },
      stallLimitCriticalPercent: 100,
      killHeaviest: false,
      candidates: 'auto',
      protectedPackages: [],
      prefer: [],
      avoid: [],
      reaper: { cpus: 'little', threads: 2, nice: -20 },
      stateDir: '/run/lmk',
      killLog: { maxBytes: 1024 * 1024, files: 3 },
      dryRun: false,
    };
    assert.deepEqual(configOf({}), expected);
  });

  it('fills the defaults inside a partly given section', () => {
    const config = configOf({ reaper: { cpus: 'big' }, minAdj: { lowMemory: 901 } });
    assert.deepEqual(config.reaper, { cpus: 'big', threads: 2, nice: -20 });
    assert.equal(config.minAdj.lowMemory, 901);
    assert.equal(config.minAdj.thrashing, 201);
  });

  it('derives the critical thrashing limit as 3 × the limit, like lmkd, unless given', () => {
    assert.deepEqual(configOf({ thrashing: { limitPercent: 30, decayPercent: 50 } }).thrashing, {
      limitPercent: 30,
      decayPercent: 50,
      criticalPercent: 90,
    });
    assert.equal(configOf({ thrashing: { limitPercent: 30, criticalPercent: 40 } }).thrashing.criticalPercent, 40);
  });

  it('gives the cgroup scope 1/2/3 % watermarks', () => {
    const config = configOf({ scope: { kind: 'cgroup', cgroup2: '/sys/fs/cgroup/lmk-test' } });
    assert.deepEqual(config.scope, {
      kind: 'cgroup',
      cgroup2: '/sys/fs/cgroup/lmk-test',
      watermarks: { minPercent: 1, lowPercent: 2, highPercent: 3 },
    });
  });

  it('takes a CPU list for the reapers', () => {
    assert.deepEqual(configOf({ reaper: { cpus: [4, 5, 6, 7] } }).reaper.cpus, [4, 5, 6, 7]);
  });

  it('is what LmkConfigSchema itself produces', () => {
    assert.deepEqual(LmkConfigSchema.parse({}), configOf({}));
  });
});

describe('config errors name the bad field', () => {
  const cases: [string, unknown, string][] = [
    ['too many reaper threads', { reaper: { threads: 17 } }, 'reaper.threads: Too big: expected number to be <=16'],
    ['a fractional thread count', { reaper: { threads: 1.5 } }, 'reaper.threads: Invalid input: expected int, received number'],
    ['nice out of range', { reaper: { nice: -21 } }, 'reaper.nice: Too small: expected number to be >=-20'],
    ['an unknown CPU selection', { reaper: { cpus: 'middle' } }, 'reaper.cpus: expected "little", "big", "all" or a list of CPU ids'],
    ['a negative CPU id', { reaper: { cpus: [0, -1] } }, 'reaper.cpus.1: Too small: expected number to be >=0'],
    ['a repeated CPU id', { reaper: { cpus: [1, 1] } }, 'reaper.cpus: duplicate CPU id'],
    ['an empty CPU list', { reaper: { cpus: [] } }, 'reaper.cpus: Too small: expected array to have >=1 items'],
    ['lowMemory below 201', { minAdj: { lowMemory: 200 } }, 'minAdj.lowMemory: Too small: expected number to be >=201'],
    ['a negative floor', { minAdj: { fullStall: -1 } }, 'minAdj.fullStall: Too small: expected number to be >=0'],
    ['swap percent over 100', { swapFreeLowPercent: 101 }, 'swapFreeLowPercent: Too big: expected number to be <=100'],
    ['a string where a number goes', { killTimeoutMs: '100' }, 'killTimeoutMs: Invalid input: expected number, received string'],
    ['a stall threshold above the window', { psi: { partialStallMs: 1500 } }, 'psi.partialStallMs: must be <= psi.windowMs (1000)'],
    ['both PSI triggers off', { psi: { partialStallMs: 0, completeStallMs: 0 } }, 'psi.partialStallMs: both triggers are 0: the agent would never wake'],
    ['an unknown scope', { scope: { kind: 'container' } }, "scope.kind: Invalid discriminator value. Expected 'system' | 'cgroup'"],
    ['a cgroup scope without its directory', { scope: { kind: 'cgroup' } }, 'scope.cgroup2: Invalid input: expected string, received undefined'],
    [
      'cgroup watermarks out of order',
      { scope: { kind: 'cgroup', cgroup2: '/x', watermarks: { minPercent: 4 } } },
      'scope.watermarks.lowPercent: must be >= minPercent (4)',
    ],
    ['a relative state dir', { stateDir: 'run/lmk' }, 'stateDir: must be an absolute path'],
    ['a tiny kill log', { killLog: { maxBytes: 100 } }, 'killLog.maxBytes: Too small: expected number to be >=4096'],
    ['not an object', [], '(root): Invalid input: expected object, received array'],
    ['null', null, '(root): Invalid input: expected object, received null'],
  ];
  for (const [what, json, error] of cases) {
    it(`refuses ${what}`, () => assert.equal(errorOf(json), error));
  }

  it('refuses an unknown key, naming it (a typo must not silently mean "default")', () => {
    assert.equal(errorOf({ reaper: { thread: 4 } }), 'reaper.thread: Unrecognized key');
    assert.equal(errorOf({ dryrun: true }), 'dryrun: Unrecognized key');
    assert.equal(errorOf({ scope: { kind: 'system', cgroup2: '/x' } }), 'scope.cgroup2: Unrecognized key');
  });

  it('refuses a regex that does not compile, at its index', () => {
    assert.equal(
      errorOf({ protectedPackages: ['^com\\.android\\.', 'com.(whatsapp'] }),
      'protectedPackages.1: Invalid regular expression: /com.(whatsapp/: Unterminated group',
    );
    assert.match(errorOf({ prefer: ['['] }), /^prefer\.0: Invalid regular expression/);
    assert.match(errorOf({ avoid: ['*'] }), /^avoid\.0: Invalid regular expression/);
  });

  it('reports only the first bad field, on one line', () => {
    const error = errorOf({ reaper: { threads: 0, nice: 40 }, dryRun: 'yes' });
    assert.equal(error, 'reaper.threads: Too small: expected number to be >=1');
    assert.doesNotMatch(error, /\n/);
  });
});

describe('parseConfigText', () => {
  it('parses a config file', () => {
    const result = parseConfigText('{ "dryRun": true, "prefer": ["^com\\\\.example\\\\."] }\n', '/data/local/tmp/lmk.json');
    assert.ok(result.ok);
    assert.equal(result.config.dryRun, true);
    assert.deepEqual(result.config.prefer, ['^com\\.example\\.']);
  });

  it('names the file and the field', () => {
    assert.deepEqual(parseConfigText('{"reaper": {"threads": 99}}', 'lmk.json'), {
      ok: false,
      error: 'lmk.json: reaper.threads: Too big: expected number to be <=16',
    });
  });

  it('says where the JSON is broken, on one line', () => {
    const result = parseConfigText('{\n  "dryRun": true,\n}\n', 'lmk.json');
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.match(result.error, /^lmk\.json: invalid JSON: .*line 3 column 1/);
    assert.doesNotMatch(result.error, /\n/);
  });

  it('refuses an empty file', () => {
    const result = parseConfigText('', 'lmk.json');
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.error, /^lmk\.json: invalid JSON: /);
  });
});
