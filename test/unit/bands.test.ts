import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BAND_NAMES, BANDS, bandOf } from '../../src/bands.js';

describe('bands', () => {
  it('covers -1000..1000 contiguously, most important first', () => {
    assert.equal(BANDS[0]?.min, -1000);
    assert.equal(BANDS.at(-1)?.max, 1000);
    for (let i = 1; i < BANDS.length; i++) assert.equal(BANDS[i]!.min, BANDS[i - 1]!.max + 1);
    assert.deepEqual(
      BANDS.map((band) => band.name),
      [...BAND_NAMES],
    );
  });

  it("maps ActivityManager's constants to their bands", () => {
    const cases: [number, string][] = [
      [-1000, 'native'], // NATIVE_ADJ
      [-901, 'native'],
      [-900, 'system'], // SYSTEM_ADJ
      [-800, 'persistent'], // PERSISTENT_PROC_ADJ
      [-700, 'persistent'], // PERSISTENT_SERVICE_ADJ
      [-1, 'persistent'],
      [0, 'foreground'], // FOREGROUND_APP_ADJ
      [50, 'foreground'], // PERCEPTIBLE_RECENT_FOREGROUND_APP_ADJ
      [100, 'visible'], // VISIBLE_APP_ADJ
      [199, 'visible'],
      [200, 'perceptible'], // PERCEPTIBLE_APP_ADJ
      [250, 'perceptible'], // PERCEPTIBLE_LOW_APP_ADJ
      [300, 'backup'], // BACKUP_APP_ADJ
      [400, 'heavy'], // HEAVY_WEIGHT_APP_ADJ
      [500, 'service'], // SERVICE_ADJ
      [600, 'home'], // HOME_APP_ADJ
      [700, 'previous'], // PREVIOUS_APP_ADJ
      [799, 'previous'],
      [800, 'serviceB'], // SERVICE_B_ADJ
      [900, 'cached'], // CACHED_APP_MIN_ADJ
      [999, 'cached'], // CACHED_APP_MAX_ADJ
      [1000, 'cached'], // UNKNOWN_ADJ / the kernel's OOM_SCORE_ADJ_MAX
    ];
    for (const [adj, band] of cases) assert.equal(bandOf(adj), band, `adj ${adj}`);
  });

  it('refuses what the kernel never reports', () => {
    assert.throws(() => bandOf(-1001), RangeError);
    assert.throws(() => bandOf(1001), RangeError);
    assert.throws(() => bandOf(1.5), RangeError);
    assert.throws(() => bandOf(Number.NaN), RangeError);
  });
});
