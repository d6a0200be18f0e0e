import { ParseError, parseIntStrict } from '../parse-error.js';

/** A NUMA node's "per-node stats" block (LRU sizes, workingset counters, ...), in pages. */
export interface ZoneinfoNode {
  readonly id: number;
  /** Empty when the node has no populated zone: the kernel prints the block under the first one. */
  readonly stats: ReadonlyMap<string, number>;
}

/** One "Node N, zone NAME" section. Everything is in pages. */
export interface Zone {
  readonly node: number;
  readonly name: string;
  readonly free: number;
  /** Temporary watermark boost; not printed by older kernels such as 5.10. */
  readonly boost: number | undefined;
  readonly min: number;
  readonly low: number;
  readonly high: number;
  /** Memory-tiering promotion watermark; only on recent kernels (6.x). */
  readonly promo: number | undefined;
  readonly spanned: number;
  readonly present: number;
  readonly managed: number;
  /** CMA pages in the zone; not printed by older kernels such as 5.10. */
  readonly cma: number | undefined;
  /** lowmem_reserve[]: pages held back from allocations aimed at each higher zone. */
  readonly protection: readonly number[];
  /** The zone counters (nr_free_pages, nr_zone_active_file, ...); empty for an unpopulated zone. */
  readonly stats: ReadonlyMap<string, number>;
  /**
   * Pages sitting on the per-CPU free lists, summed over CPUs. They are free but not in
   * nr_free_pages; since 6.7 these lists grow to hundreds of MB.
   */
  readonly pcpCountPages: number;
  /** Whether kswapd gave up on the node (after MAX_RECLAIM_RETRIES); only for populated zones. */
  readonly nodeUnreclaimable: boolean | undefined;
  readonly startPfn: number | undefined;
}

export interface Zoneinfo {
  readonly nodes: readonly ZoneinfoNode[];
  readonly zones: readonly Zone[];
}

/** The zone head lines between "pages free" and "protection:". */
const HEAD_FIELDS = new Set(['boost', 'min', 'low', 'high', 'promo', 'spanned', 'present', 'managed', 'cma']);
const REQUIRED_HEAD = ['min', 'low', 'high', 'spanned', 'present', 'managed'] as const;

type Section = 'zone-head' | 'node-stats' | 'zone-stats' | 'pagesets';

interface ZoneBuilder {
  node: number;
  name: string;
  free: number | undefined;
  head: Map<string, number>;
  protection: number[] | undefined;
  stats: Map<string, number>;
  pcpCountPages: number;
  tail: Map<string, number>;
}

/**
 * Parses /proc/zoneinfo. Unpopulated zones (present 0) stop after their protection line; lines a
 * newer kernel adds in a known section are kept in `stats` or ignored, never guessed at.
 */
export function parseZoneinfo(text: string, source = '/proc/zoneinfo'): Zoneinfo {
  const nodeStats = new Map<number, Map<string, number>>();
  const zones: Zone[] = [];
  let zone: ZoneBuilder | undefined;
  let statsOfNode: Map<string, number> | undefined;
  let section: Section | undefined;

  const finishZone = (): void => {
    if (zone) zones.push(buildZone(zone, source));
    zone = undefined;
  };
  const setOnce = (map: Map<string, number>, key: string, value: number, where: string): void => {
    if (map.has(key)) throw new ParseError(source, `duplicate ${key} in ${where}`);
    map.set(key, value);
  };
  const nodeEntry = (id: number): Map<string, number> => {
    let stats = nodeStats.get(id);
    if (!stats) nodeStats.set(id, (stats = new Map()));
    return stats;
  };

  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) {
    let m: RegExpExecArray | null;
    if ((m = /^Node (\d+), zone +(\S+)$/.exec(line))) {
      finishZone();
      const node = parseIntStrict(m[1]!, source, 'node id');
      nodeEntry(node);
      zone = {
        node,
        name: m[2]!,
        free: undefined,
        head: new Map(),
        protection: undefined,
        stats: new Map(),
        pcpCountPages: 0,
        tail: new Map(),
      };
      section = 'zone-head';
      continue;
    }
    if ((m = /^Node (\d+), per-node stats$/.exec(line))) {
      // A layout proposed upstream prints the node block on its own, before the zones.
      finishZone();
      statsOfNode = nodeEntry(parseIntStrict(m[1]!, source, 'node id'));
      section = 'node-stats';
      continue;
    }
    if (section === undefined) throw new ParseError(source, `text before the first "Node" line: ${JSON.stringify(line)}`);

    if (line === '  per-node stats') {
      if (!zone || section !== 'zone-head' || zone.free !== undefined) {
        throw new ParseError(source, '"per-node stats" outside the top of a zone');
      }
      statsOfNode = nodeEntry(zone.node);
      section = 'node-stats';
      continue;
    }
    if (!zone) {
      // Only the stand-alone per-node block can be open here.
      if ((m = /^ +(\w+) +(\d+)$/.exec(line))) {
        setOnce(statsOfNode!, m[1]!, parseIntStrict(m[2]!, source, m[1]!), 'per-node stats');
        continue;
      }
      throw new ParseError(source, `unexpected line: ${JSON.stringify(line)}`);
    }
    if ((m = /^ +pages free +(\d+)$/.exec(line))) {
      if (zone.free !== undefined) throw new ParseError(source, `duplicate "pages free" in ${zone.name}`);
      zone.free = parseIntStrict(m[1]!, source, 'pages free');
      section = 'zone-head';
      continue;
    }
    if ((m = /^ +protection: \((.*)\)$/.exec(line))) {
      if (zone.protection) throw new ParseError(source, `duplicate protection in ${zone.name}`);
      zone.protection = m[1]!.split(', ').map((part) => parseIntStrict(part, source, 'protection'));
      section = 'zone-stats';
      continue;
    }
    if (line === '  pagesets') {
      section = 'pagesets';
      continue;
    }
    if (section === 'pagesets' && (m = /^ +count: +(\d+)$/.exec(line))) {
      zone.pcpCountPages += parseIntStrict(m[1]!, source, 'pageset count');
      continue;
    }
    // 4.19 prints its hidden nr_indirectly_reclaimable counter with an empty name: a bare number.
    if ((section === 'node-stats' || section === 'zone-stats') && /^ +\d+$/.test(line)) continue;
    // Everything else is "name value" or "name: value", the name possibly with spaces
    // ("vm stats threshold: 4").
    if (!(m = /^ +(\w+(?: \w+)*):? +(-?\d+)$/.exec(line))) {
      throw new ParseError(source, `unexpected line in ${zone.name}: ${JSON.stringify(line)}`);
    }
    const key = m[1]!;
    const value = parseIntStrict(m[2]!, source, key);
    if (section === 'node-stats') {
      setOnce(statsOfNode!, key, value, 'per-node stats');
    } else if (section === 'zone-head') {
      if (zone.free === undefined) throw new ParseError(source, `${key} before "pages free" in ${zone.name}`);
      // An unknown head line (a future watermark) is ignored rather than refused.
      if (HEAD_FIELDS.has(key)) setOnce(zone.head, key, value, zone.name);
    } else if (section === 'zone-stats') {
      setOnce(zone.stats, key, value, zone.name);
    } else if (key === 'node_unreclaimable' || key === 'start_pfn') {
      // These two follow the pagesets; the other pageset lines (cpu, high, batch, high_min,
      // high_max, vm stats threshold) are per-CPU tuning this project does not use.
      setOnce(zone.tail, key, value, zone.name);
    }
  }
  finishZone();

  if (zones.length === 0) throw new ParseError(source, 'no zones');
  const nodes = [...nodeStats].map(([id, stats]): ZoneinfoNode => ({ id, stats }));
  return { nodes, zones };
}

function buildZone(b: ZoneBuilder, source: string): Zone {
  const where = `node ${b.node} zone ${b.name}`;
  if (b.free === undefined) throw new ParseError(source, `missing "pages free" in ${where}`);
  for (const key of REQUIRED_HEAD) {
    if (!b.head.has(key)) throw new ParseError(source, `missing ${key} in ${where}`);
  }
  if (!b.protection) throw new ParseError(source, `missing protection in ${where}`);
  const head = (key: string): number => b.head.get(key)!;
  return {
    node: b.node,
    name: b.name,
    free: b.free,
    boost: b.head.get('boost'),
    min: head('min'),
    low: head('low'),
    high: head('high'),
    promo: b.head.get('promo'),
    spanned: head('spanned'),
    present: head('present'),
    managed: head('managed'),
    cma: b.head.get('cma'),
    protection: b.protection,
    stats: b.stats,
    pcpCountPages: b.pcpCountPages,
    nodeUnreclaimable: b.tail.has('node_unreclaimable') ? b.tail.get('node_unreclaimable') !== 0 : undefined,
    startPfn: b.tail.get('start_pfn'),
  };
}

/** System-wide watermarks in pages, as lmkd computes them. */
export interface Watermarks {
  readonly minPages: number;
  readonly lowPages: number;
  readonly highPages: number;
}

/**
 * lmkd's calc_zone_watermarks (lmkd.cpp:2668-2685): over the zones with present pages, the sum of
 * each watermark plus the zone's largest protection (lowmem_reserve) value, which counts from 0.
 * lmkd then compares MemFree - CmaFree, in pages, with these.
 */
export function watermarks(zones: readonly Zone[]): Watermarks {
  let minPages = 0;
  let lowPages = 0;
  let highPages = 0;
  for (const zone of zones) {
    if (zone.present === 0) continue;
    const maxProtection = Math.max(0, ...zone.protection);
    minPages += zone.min + maxProtection;
    lowPages += zone.low + maxProtection;
    highPages += zone.high + maxProtection;
  }
  return { minPages, lowPages, highPages };
}
