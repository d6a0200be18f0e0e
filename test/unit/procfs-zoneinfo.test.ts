import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ParseError } from '../../src/parse-error.js';
import { parseZoneinfo, watermarks, type Zone } from '../../src/procfs/zoneinfo.js';

const capture = (path: string): string =>
  readFileSync(new URL(`../../../test/fixtures/captures/${path}`, import.meta.url), 'utf8');

const zoneNamed = (zones: readonly Zone[], name: string): Zone => {
  const zone = zones.find((z) => z.name === name);
  assert.ok(zone, `no zone ${name}`);
  return zone;
};

describe('parseZoneinfo on the Linux 6.18 capture', () => {
  const info = parseZoneinfo(capture('linux-6.18-x86_64/zoneinfo'));

  it('finds the five zones of node 0 and its per-node stats', () => {
    assert.deepEqual(
      info.zones.map((z) => `${z.node}/${z.name}`),
      ['0/DMA', '0/DMA32', '0/Normal', '0/Movable', '0/Device'],
    );
    assert.equal(info.nodes.length, 1);
    assert.equal(info.nodes[0]?.id, 0);
    assert.equal(info.nodes[0]?.stats.get('nr_inactive_file'), 12471);
    assert.equal(info.nodes[0]?.stats.get('workingset_refault_file'), 10983730);
    assert.equal(info.nodes[0]?.stats.get('nr_kernel_file_pages'), 0);
  });

  it('reads the head of a populated zone', () => {
    const dma = zoneNamed(info.zones, 'DMA');
    assert.equal(dma.free, 3840);
    assert.equal(dma.boost, 0);
    assert.equal(dma.min, 66);
    assert.equal(dma.low, 82);
    assert.equal(dma.high, 98);
    assert.equal(dma.promo, 114);
    assert.equal(dma.spanned, 4095);
    assert.equal(dma.present, 3998);
    assert.equal(dma.managed, 3840);
    assert.equal(dma.cma, 0);
    assert.deepEqual(dma.protection, [0, 3019, 3787, 3787, 3787]);
    assert.equal(dma.stats.get('nr_free_pages'), 3840);
    assert.equal(dma.stats.get('nr_free_pages_blocks'), 3584);
    assert.equal(dma.stats.get('numa_hit'), 0);
    assert.equal(dma.startPfn, 1);
    assert.equal(dma.nodeUnreclaimable, false);
  });

  it('sums the per-CPU page counts', () => {
    assert.equal(zoneNamed(info.zones, 'Normal').pcpCountPages, 1117 + 1698);
    assert.equal(zoneNamed(info.zones, 'DMA32').pcpCountPages, 0);
  });

  it('reads empty zones, which stop after their protection line', () => {
    const movable = zoneNamed(info.zones, 'Movable');
    assert.equal(movable.present, 0);
    assert.equal(movable.min, 32);
    assert.equal(movable.stats.size, 0);
    assert.equal(movable.pcpCountPages, 0);
    assert.equal(movable.startPfn, undefined);
    assert.equal(zoneNamed(info.zones, 'Device').managed, 0);
  });

  it("sums lmkd's watermarks over populated zones only", () => {
    // DMA: 66/82/98 + 3787, DMA32: 13416/16770/20124 + 768, Normal: 3412/4265/5118 + 0.
    // Movable has min/low/high 32 but no present pages: lmkd skips it.
    assert.deepEqual(watermarks(info.zones), {
      minPages: 66 + 3787 + 13416 + 768 + 3412,
      lowPages: 82 + 3787 + 16770 + 768 + 4265,
      highPages: 98 + 3787 + 20124 + 768 + 5118,
    });
  });

  it('reads the capture taken under cgroup pressure', () => {
    const pressured = parseZoneinfo(capture('linux-6.18-x86_64-cgroup-pressure/zoneinfo'));
    assert.equal(pressured.zones.length, 5);
    assert.deepEqual(watermarks(pressured.zones), watermarks(info.zones));
  });
});

describe('parseZoneinfo on Android-format text (constructed)', () => {
  it('reads a GKI 5.10 layout: no boost or cma lines, 5.10 pageset spacing', () => {
    const info = parseZoneinfo(capture('android-constructed/gki-5.10-arm64/zoneinfo'));
    assert.deepEqual(info.zones.map((z) => z.name), ['DMA32', 'Normal', 'Movable']);
    const normal = zoneNamed(info.zones, 'Normal');
    assert.equal(normal.boost, undefined);
    assert.equal(normal.cma, undefined);
    assert.equal(normal.promo, undefined);
    assert.equal(normal.free, 14520);
    assert.equal(normal.stats.get('nr_free_cma'), 3211);
    assert.equal(normal.pcpCountPages, 31 + 12 + 57 + 0 + 44 + 8 + 63 + 19);
    assert.equal(info.nodes[0]?.stats.get('workingset_refault_file'), 4190256);
    assert.deepEqual(watermarks(info.zones), {
      minPages: 819 + 3592 + 1552,
      lowPages: 1304 + 3592 + 2471,
      highPages: 1789 + 3592 + 3390,
    });
  });

  it('reads a GKI 5.15 layout with boost and a CMA zone', () => {
    const info = parseZoneinfo(capture('android-constructed/gki-5.15-arm64/zoneinfo'));
    const normal = zoneNamed(info.zones, 'Normal');
    assert.equal(normal.boost, 0);
    assert.equal(normal.cma, 65536);
    assert.equal(normal.managed, 1457697);
    assert.deepEqual(zoneNamed(info.zones, 'DMA32').protection, [0, 5694, 5694]);
    assert.equal(zoneNamed(info.zones, 'Movable').present, 0);
    assert.deepEqual(watermarks(info.zones), { minPages: 8488, lowPages: 10441, highPages: 12394 });
  });

  it("skips the nameless counter line of 4.19's per-node stats", () => {
    const info = parseZoneinfo(capture('android-constructed/android-4.19-arm64/zoneinfo'));
    assert.deepEqual(info.zones.map((z) => z.name), ['Normal', 'Movable']);
    assert.equal(info.nodes[0]?.stats.get('nr_written'), 880173);
    assert.equal(info.nodes[0]?.stats.has(''), false);
    assert.equal(zoneNamed(info.zones, 'Normal').stats.get('nr_kernel_stack'), 38112);
  });
});

describe('parseZoneinfo layouts beyond the captures', () => {
  const emptyZone = (node: number, name: string): string =>
    `Node ${node}, zone ${name.padStart(8)}\n  pages free     0\n        min      0\n        low      0\n        high     0\n` +
    '        spanned  0\n        present  0\n        managed  0\n        protection: (0, 0)\n';
  const populated = (node: number, name: string, min: number, protection: string): string =>
    `Node ${node}, zone ${name.padStart(8)}\n  per-node stats\n      nr_inactive_file ${node + 100}\n` +
    `  pages free     500\n        min      ${min}\n        low      ${min + 1}\n        high     ${min + 2}\n` +
    `        spanned  1000\n        present  1000\n        managed  900\n        protection: (${protection})\n` +
    '      nr_free_pages 500\n  pagesets\n    cpu: 0\n              count: 7\n              high:  10\n' +
    '              batch: 1\n  vm stats threshold: 4\n  node_unreclaimable:  1\n  start_pfn:           4096\n';

  it('puts per-node stats on the node when an empty zone comes first, and handles two nodes', () => {
    const info = parseZoneinfo(
      emptyZone(0, 'DMA32') + populated(0, 'Normal', 10, '0, 0') + emptyZone(1, 'DMA32') + populated(1, 'Normal', 20, '0, 5'),
    );
    assert.deepEqual(info.nodes.map((n) => [n.id, n.stats.get('nr_inactive_file')]), [[0, 100], [1, 101]]);
    assert.equal(info.zones[1]?.nodeUnreclaimable, true);
    assert.equal(info.zones[1]?.startPfn, 4096);
    assert.equal(info.zones[3]?.pcpCountPages, 7);
    assert.deepEqual(watermarks(info.zones), { minPages: 10 + 20 + 5, lowPages: 11 + 21 + 5, highPages: 12 + 22 + 5 });
  });

  it('takes the stand-alone "Node N, per-node stats" block some kernels print', () => {
    const info = parseZoneinfo('Node 0, per-node stats\n      nr_active_file 42\n' + populated(0, 'Normal', 10, '0, 0').replace(/  per-node stats\n.*\n/, ''));
    assert.equal(info.nodes[0]?.stats.get('nr_active_file'), 42);
    assert.equal(info.zones[0]?.free, 500);
  });

  it('ignores an unknown head line and keeps an unknown zone counter', () => {
    const text = populated(0, 'Normal', 10, '0, 0')
      .replace('        spanned', '        reserve  3\n        spanned')
      .replace('      nr_free_pages 500\n', '      nr_free_pages 500\n      nr_new_counter 9\n');
    const zone = parseZoneinfo(text).zones[0]!;
    assert.equal(zone.stats.get('nr_new_counter'), 9);
    assert.equal(zone.spanned, 1000);
  });

  it('counts protection from zero, as lmkd does', () => {
    const zone = parseZoneinfo(populated(0, 'Normal', 10, '0, 0')).zones[0]!;
    assert.deepEqual(watermarks([{ ...zone, protection: [] }]), { minPages: 10, lowPages: 11, highPages: 12 });
  });
});

describe('parseZoneinfo refuses', () => {
  const text = capture('linux-6.18-x86_64/zoneinfo');

  it('empty text and text before the first Node line', () => {
    assert.throws(() => parseZoneinfo(''), /no zones/);
    assert.throws(() => parseZoneinfo('garbage\n' + text), ParseError);
  });

  it('a zone missing a watermark, its present count or its protection', () => {
    assert.throws(() => parseZoneinfo(text.replace(/^ +low +82\n/m, '')), /missing low in node 0 zone DMA/);
    assert.throws(() => parseZoneinfo(text.replace(/^ +present +0\n/m, '')), /missing present in node 0 zone Movable/);
    assert.throws(() => parseZoneinfo(text.replace(/^ +protection: \(0, 3019.*\n/m, '')), /protection/);
  });

  it('a truncated read that stops inside a zone head', () => {
    assert.throws(() => parseZoneinfo(text.slice(0, text.indexOf('        high     20124'))), /missing high/);
  });

  it('non-numbers, garbage lines and repeated fields', () => {
    assert.throws(() => parseZoneinfo(text.replace('        min      66', '        min      6x')), ParseError);
    assert.throws(() => parseZoneinfo(text.replace('protection: (0, 3019,', 'protection: (0, x,')), /protection/);
    assert.throws(() => parseZoneinfo(text.replace('  pagesets\n', '  pagesets\n%%%\n')), ParseError);
    assert.throws(() => parseZoneinfo(text.replace('        min      66\n', '        min      66\n        min      67\n')), /duplicate min/);
  });
});
