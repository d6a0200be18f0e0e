import { formatCpuList } from './cpu-list.js';

/** What sysfs told us about one online CPU; every field but the id may be unknown. */
export interface CpuFacts {
  readonly id: number;
  /** /sys/devices/system/cpu/cpuN/cpu_capacity (1024 = the fastest CPU in the system). */
  readonly capacity?: number;
  /** cpuinfo_max_freq of the CPU's cpufreq policy, in kHz. */
  readonly maxFreqKhz?: number;
  /** The cpufreq policy number (policyM), i.e. the frequency domain: a cluster. */
  readonly policy?: number;
}

export interface TopologyCpu {
  readonly id: number;
  /** cpu_capacity, or derived from max frequency, or 1024 when nothing is known. */
  readonly capacity: number;
  readonly maxFreqKhz: number | null;
  /** Id of the cluster this CPU belongs to (see CpuCluster.id). */
  readonly cluster: number;
}

export interface CpuCluster {
  /** The cpufreq policy number when policies are known, else the cluster's lowest CPU id. */
  readonly id: number;
  /** Ascending CPU ids. */
  readonly cpus: readonly number[];
  /** Highest capacity among its CPUs (they are equal on real hardware). */
  readonly capacity: number;
}

/** Where the capacities came from, so logs can say how much to trust "little" and "big". */
export type CapacitySource = 'cpu_capacity' | 'max_freq' | 'unknown';

export interface CpuTopology {
  /** Online CPUs, little → big (capacity, then id). */
  readonly cpus: readonly TopologyCpu[];
  /** Little → big (capacity, then lowest CPU id). */
  readonly clusters: readonly CpuCluster[];
  /** Ascending ids of the lowest-capacity cluster(s); every CPU when homogeneous. */
  readonly littleCpus: readonly number[];
  /** Ascending ids of every CPU that is not little (mid + prime on a 3-cluster phone); every CPU when homogeneous. */
  readonly bigCpus: readonly number[];
  /** More than one distinct capacity. */
  readonly heterogeneous: boolean;
  readonly capacitySource: CapacitySource;
}

/** Where reaper threads run: a named part of the topology or an explicit CPU list. */
export type CpuSelection = 'little' | 'big' | 'all' | readonly number[];

/** The scale the kernel uses for cpu_capacity: the biggest CPU is 1024. */
export const FULL_CAPACITY = 1024;

function known(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value) && value > 0;
}

function byNumber(a: number, b: number): number {
  return a - b;
}

/** Capacities per CPU id, by the first rule whose data every CPU has. */
function capacities(facts: readonly CpuFacts[]): { source: CapacitySource; of: Map<number, number> } {
  if (facts.length > 0 && facts.every((f) => known(f.capacity))) {
    return { source: 'cpu_capacity', of: new Map(facts.map((f) => [f.id, f.capacity ?? FULL_CAPACITY])) };
  }
  if (facts.length > 0 && facts.every((f) => known(f.maxFreqKhz))) {
    // Frequency is a proxy for capacity: it orders clusters right, though a big core does more per cycle.
    const fastest = Math.max(...facts.map((f) => f.maxFreqKhz ?? 0));
    const scaled = (f: CpuFacts) => Math.max(1, Math.round(((f.maxFreqKhz ?? fastest) * FULL_CAPACITY) / fastest));
    return { source: 'max_freq', of: new Map(facts.map((f) => [f.id, scaled(f)])) };
  }
  return { source: 'unknown', of: new Map(facts.map((f) => [f.id, FULL_CAPACITY])) };
}

/** CPU id → cluster id: cpufreq policies when every CPU has one, else groups of equal capacity. */
function clusterIds(facts: readonly CpuFacts[], capacityOf: Map<number, number>): Map<number, number> {
  if (facts.length > 0 && facts.every((f) => f.policy !== undefined)) {
    return new Map(facts.map((f) => [f.id, f.policy ?? 0]));
  }
  const lowestIdOfCapacity = new Map<number, number>();
  for (const f of [...facts].sort((a, b) => a.id - b.id)) {
    const capacity = capacityOf.get(f.id) ?? FULL_CAPACITY;
    if (!lowestIdOfCapacity.has(capacity)) lowestIdOfCapacity.set(capacity, f.id);
  }
  return new Map(facts.map((f) => [f.id, lowestIdOfCapacity.get(capacityOf.get(f.id) ?? FULL_CAPACITY) ?? f.id]));
}

/**
 * Classifies online CPUs little → big. Pure: the facts come from native/topology.ts or a test.
 * An empty list gives an empty topology (sysfs told us nothing); resolveCpuSelection then refuses.
 */
export function buildCpuTopology(facts: readonly CpuFacts[]): CpuTopology {
  const seen = new Set<number>();
  for (const f of facts) {
    if (!Number.isSafeInteger(f.id) || f.id < 0) throw new RangeError(`not a CPU id: ${f.id}`);
    if (seen.has(f.id)) throw new RangeError(`CPU ${f.id} listed twice`);
    seen.add(f.id);
  }

  const { source, of: capacityOf } = capacities(facts);
  const clusterOf = clusterIds(facts, capacityOf);

  const cpus: TopologyCpu[] = facts
    .map((f) => ({
      id: f.id,
      capacity: capacityOf.get(f.id) ?? FULL_CAPACITY,
      maxFreqKhz: known(f.maxFreqKhz) ? f.maxFreqKhz : null,
      cluster: clusterOf.get(f.id) ?? f.id,
    }))
    .sort((a, b) => a.capacity - b.capacity || a.id - b.id);

  const members = new Map<number, TopologyCpu[]>();
  for (const cpu of cpus) members.set(cpu.cluster, [...(members.get(cpu.cluster) ?? []), cpu]);
  const clusters: CpuCluster[] = [...members.entries()]
    .map(([id, list]) => ({
      id,
      cpus: list.map((c) => c.id).sort(byNumber),
      capacity: Math.max(...list.map((c) => c.capacity)),
    }))
    .sort((a, b) => a.capacity - b.capacity || (a.cpus[0] ?? 0) - (b.cpus[0] ?? 0));

  const all = cpus.map((c) => c.id).sort(byNumber);
  const lowest = clusters[0]?.capacity;
  const little = clusters.filter((c) => c.capacity === lowest).flatMap((c) => c.cpus).sort(byNumber);
  const big = all.filter((id) => !little.includes(id));
  // One capacity level (or nothing known): every CPU is both, so 'little' and 'big' never come out empty.
  const homogeneous = big.length === 0;

  return {
    cpus,
    clusters,
    littleCpus: homogeneous ? all : little,
    bigCpus: homogeneous ? all : big,
    heterogeneous: new Set(cpus.map((c) => c.capacity)).size > 1,
    capacitySource: source,
  };
}

function describe(ids: readonly number[]): string {
  return ids.length === 0 ? 'none' : formatCpuList(ids.filter((id) => Number.isSafeInteger(id) && id >= 0));
}

/**
 * The CPU ids (ascending) a selection names. An explicit list keeps only its online CPUs; a
 * selection that leaves nothing throws, naming what was asked for and what is online.
 */
export function resolveCpuSelection(selection: CpuSelection, topology: CpuTopology): number[] {
  const online = topology.cpus.map((c) => c.id).sort(byNumber);
  let chosen: number[];
  let asked: string;
  if (typeof selection === 'string') {
    asked = `'${selection}'`;
    switch (selection) {
      case 'little':
        chosen = [...topology.littleCpus];
        break;
      case 'big':
        chosen = [...topology.bigCpus];
        break;
      case 'all':
        chosen = online;
        break;
      default:
        throw new Error(`unknown CPU selection ${JSON.stringify(selection satisfies never)}`);
    }
  } else {
    const valid = selection.filter((id) => Number.isSafeInteger(id) && id >= 0);
    const invalid = selection.filter((id) => !valid.includes(id));
    asked = `CPUs ${describe(valid)}${invalid.length > 0 ? ` (not CPU ids: ${invalid.join(', ')})` : ''}`;
    chosen = online.filter((id) => valid.includes(id));
  }
  if (chosen.length === 0) {
    throw new Error(`CPU selection ${asked} matches no online CPU (online: ${describe(online)})`);
  }
  return chosen.sort(byNumber);
}
