import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus as osCpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildCpuTopology,
  resolveCpuSelection,
  type CpuFacts,
  type CpuTopology,
} from '../../src/cpu-topology.js';
import { readCpuFacts, readCpuTopology } from '../../native/topology.js';

function fixture(name: string): string {
  return fileURLToPath(new URL(`../../../test/fixtures/sysfs/${name}`, import.meta.url));
}

/** A writable copy of a fixture (symlinks kept relative, so they point inside the copy). */
function copyOf(name: string): string {
  const root = mkdtempSync(join(tmpdir(), 'lmk-sysfs-'));
  cpSync(fixture(name), root, { recursive: true, verbatimSymlinks: true });
  return root;
}

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'lmk-sysfs-'));
  for (const [path, text] of Object.entries(files)) {
    const full = join(root, 'devices/system/cpu', path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return root;
}

function withTree<T>(root: string, body: (root: string) => T): T {
  try {
    return body(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const ids = (t: CpuTopology) => t.cpus.map((c) => c.id);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

// ---- pure classification ----

test('2 clusters by cpu_capacity and policy: 0-3 little, 4-7 big', () => {
  const facts: CpuFacts[] = range(0, 7).map((id) =>
    id < 4 ? { id, capacity: 381, maxFreqKhz: 1804800, policy: 0 } : { id, capacity: 1024, maxFreqKhz: 2419200, policy: 4 },
  );
  const t = buildCpuTopology(facts);
  assert.equal(t.capacitySource, 'cpu_capacity');
  assert.equal(t.heterogeneous, true);
  assert.deepEqual(ids(t), range(0, 7));
  assert.deepEqual(t.littleCpus, [0, 1, 2, 3]);
  assert.deepEqual(t.bigCpus, [4, 5, 6, 7]);
  assert.deepEqual(t.clusters, [
    { id: 0, cpus: [0, 1, 2, 3], capacity: 381 },
    { id: 4, cpus: [4, 5, 6, 7], capacity: 1024 },
  ]);
  assert.deepEqual(t.cpus[0], { id: 0, capacity: 381, maxFreqKhz: 1804800, cluster: 0 });
});

test('3 clusters from max frequency only: capacity scaled so the fastest is 1024; big = mid + prime', () => {
  const freq = (id: number) => (id < 4 ? 1800000 : id < 7 ? 2420000 : 2840000);
  const policy = (id: number) => (id < 4 ? 0 : id < 7 ? 4 : 7);
  const t = buildCpuTopology(range(0, 7).map((id) => ({ id, maxFreqKhz: freq(id), policy: policy(id) })));
  assert.equal(t.capacitySource, 'max_freq');
  assert.equal(t.heterogeneous, true);
  assert.deepEqual(
    t.clusters.map((c) => [c.id, c.capacity, c.cpus]),
    [
      [0, 649, [0, 1, 2, 3]],
      [4, 873, [4, 5, 6]],
      [7, 1024, [7]],
    ],
  );
  assert.deepEqual(t.littleCpus, [0, 1, 2, 3]);
  assert.deepEqual(t.bigCpus, [4, 5, 6, 7]);
});

test('order is by capacity then id, even when the big cores have the low ids', () => {
  const t = buildCpuTopology(range(0, 5).map((id) => ({ id, capacity: id < 2 ? 1024 : 400 })));
  assert.deepEqual(ids(t), [2, 3, 4, 5, 0, 1]);
  assert.deepEqual(t.littleCpus, [2, 3, 4, 5]);
  assert.deepEqual(t.bigCpus, [0, 1]);
  // No policies: clusters are groups of equal capacity, named by their lowest CPU.
  assert.deepEqual(t.clusters, [
    { id: 2, cpus: [2, 3, 4, 5], capacity: 400 },
    { id: 0, cpus: [0, 1], capacity: 1024 },
  ]);
});

test('input order does not matter', () => {
  const facts: CpuFacts[] = [7, 3, 5, 1, 0, 6, 2, 4].map((id) => ({ id, capacity: id < 4 ? 381 : 1024 }));
  const t = buildCpuTopology(facts);
  assert.deepEqual(ids(t), range(0, 7));
  assert.deepEqual(t.littleCpus, [0, 1, 2, 3]);
});

test('cpu_capacity on only some CPUs: capacity comes from frequency instead', () => {
  const facts: CpuFacts[] = range(0, 7).map((id) => ({
    id,
    ...(id !== 7 && { capacity: id < 4 ? 381 : 1024 }),
    maxFreqKhz: id < 4 ? 1804800 : 2419200,
  }));
  const t = buildCpuTopology(facts);
  assert.equal(t.capacitySource, 'max_freq');
  assert.deepEqual(
    t.clusters.map((c) => [c.capacity, c.cpus]),
    [
      [764, [0, 1, 2, 3]],
      [1024, [4, 5, 6, 7]],
    ],
  );
});

test('nothing known: every CPU 1024, one cluster, little = big = all, homogeneous', () => {
  for (const facts of [
    range(0, 3).map((id) => ({ id })),
    // Partial data is no data: a CPU without capacity or frequency leaves nothing to compare.
    range(0, 3).map((id) => (id === 0 ? { id } : { id, maxFreqKhz: 1000000 * id })),
  ]) {
    const t = buildCpuTopology(facts);
    assert.equal(t.capacitySource, 'unknown');
    assert.equal(t.heterogeneous, false);
    assert.ok(t.cpus.every((c) => c.capacity === 1024));
    assert.deepEqual(t.littleCpus, [0, 1, 2, 3]);
    assert.deepEqual(t.bigCpus, [0, 1, 2, 3]);
    assert.equal(t.clusters.length, 1);
  }
});

test('two policies of equal capacity: homogeneous, little = big = all, still two clusters', () => {
  const t = buildCpuTopology(range(0, 3).map((id) => ({ id, capacity: 1024, policy: id < 2 ? 0 : 2 })));
  assert.equal(t.heterogeneous, false);
  assert.deepEqual(t.clusters.map((c) => c.cpus), [[0, 1], [2, 3]]);
  assert.deepEqual(t.littleCpus, [0, 1, 2, 3]);
  assert.deepEqual(t.bigCpus, [0, 1, 2, 3]);
});

test('non-positive capacity or frequency counts as unknown', () => {
  const t = buildCpuTopology([
    { id: 0, capacity: 0, maxFreqKhz: 1000 },
    { id: 1, capacity: 1024, maxFreqKhz: 2000 },
  ]);
  assert.equal(t.capacitySource, 'max_freq');
  assert.deepEqual(t.littleCpus, [0]);
  assert.equal(buildCpuTopology([{ id: 0, maxFreqKhz: Number.NaN }]).cpus[0]?.maxFreqKhz, null);
});

test('an empty fact list is an empty topology', () => {
  const t = buildCpuTopology([]);
  assert.deepEqual(t.cpus, []);
  assert.deepEqual(t.clusters, []);
  assert.deepEqual(t.littleCpus, []);
  assert.deepEqual(t.bigCpus, []);
  assert.equal(t.heterogeneous, false);
});

test('duplicate or invalid CPU ids are a programming error', () => {
  assert.throws(() => buildCpuTopology([{ id: 1 }, { id: 1 }]), RangeError);
  assert.throws(() => buildCpuTopology([{ id: -1 }]), RangeError);
  assert.throws(() => buildCpuTopology([{ id: 0.5 }]), RangeError);
});

// ---- the reader, on fixture trees ----

test('fixture phone-2cluster-capacity (Snapdragon 845-like)', () => {
  const { facts, notes } = readCpuFacts(fixture('phone-2cluster-capacity'));
  assert.deepEqual(notes, []);
  assert.deepEqual(facts[0], { id: 0, capacity: 381, maxFreqKhz: 1804800, policy: 0 });
  assert.deepEqual(facts[7], { id: 7, capacity: 1024, maxFreqKhz: 2419200, policy: 4 });
  const t = readCpuTopology(fixture('phone-2cluster-capacity'));
  assert.equal(t.capacitySource, 'cpu_capacity');
  assert.equal(t.heterogeneous, true);
  assert.deepEqual(ids(t), range(0, 7));
  assert.deepEqual(t.littleCpus, [0, 1, 2, 3]);
  assert.deepEqual(t.bigCpus, [4, 5, 6, 7]);
  assert.deepEqual(t.clusters.map((c) => c.id), [0, 4]);
});

test('fixture phone-3cluster-cpufreq-only (Snapdragon 888-like): 3 clusters from frequency', () => {
  const t = readCpuTopology(fixture('phone-3cluster-cpufreq-only'));
  assert.equal(t.capacitySource, 'max_freq');
  assert.equal(t.heterogeneous, true);
  assert.deepEqual(ids(t), range(0, 7));
  assert.deepEqual(
    t.clusters.map((c) => [c.id, c.cpus]),
    [
      [0, [0, 1, 2, 3]],
      [4, [4, 5, 6]],
      [7, [7]],
    ],
  );
  assert.deepEqual(t.littleCpus, [0, 1, 2, 3]);
  assert.deepEqual(t.bigCpus, [4, 5, 6, 7]);
  assert.equal(t.cpus[7]?.maxFreqKhz, 2840000);
});

test('fixture phone-2cluster-cpu5-offline: CPU 5 is excluded though its files remain', () => {
  const t = readCpuTopology(fixture('phone-2cluster-cpu5-offline'));
  assert.deepEqual(ids(t), [0, 1, 2, 3, 4, 6, 7]);
  assert.deepEqual(t.littleCpus, [0, 1, 2, 3]);
  assert.deepEqual(t.bigCpus, [4, 6, 7]);
  assert.deepEqual(t.clusters[1], { id: 4, cpus: [4, 6, 7], capacity: 1024 });
});

test('fixture homogeneous-2cpu (this machine): 2 CPUs, homogeneous', () => {
  const { facts, notes } = readCpuFacts(fixture('homogeneous-2cpu'));
  assert.deepEqual(notes, []);
  assert.deepEqual(facts, [
    { id: 0, capacity: 1024 },
    { id: 1, capacity: 1024 },
  ]);
  const t = readCpuTopology(fixture('homogeneous-2cpu'));
  assert.equal(t.heterogeneous, false);
  assert.deepEqual(t.littleCpus, [0, 1]);
  assert.deepEqual(t.bigCpus, [0, 1]);
});

test('the real /sys of this machine', (t) => {
  const topology = readCpuTopology();
  // Holds anywhere: every online CPU (os.cpus() reads /proc/cpuinfo) is classified.
  assert.equal(topology.cpus.length, osCpus().length);
  assert.ok(topology.littleCpus.length > 0 && topology.bigCpus.length > 0);
  let online: string | undefined;
  try {
    online = readFileSync('/sys/devices/system/cpu/online', 'utf8').trim();
  } catch {
    online = undefined;
  }
  if (online !== '0-1') {
    t.skip(`not the 2-vCPU machine these facts were written for (online: ${online ?? 'unreadable'})`);
    return;
  }
  assert.equal(topology.heterogeneous, false);
  assert.deepEqual(ids(topology), [0, 1]);
  assert.deepEqual(topology.littleCpus, [0, 1]);
  assert.deepEqual(topology.bigCpus, [0, 1]);
});

// ---- the reader, on degraded trees ----

test('missing online file: the cpuN directories are used, minus those whose own online says 0', () => {
  withTree(copyOf('phone-2cluster-cpu5-offline'), (root) => {
    rmSync(join(root, 'devices/system/cpu/online'));
    const { facts, notes } = readCpuFacts(root);
    assert.deepEqual(facts.map((f) => f.id), [0, 1, 2, 3, 4, 6, 7]);
    assert.equal(notes.length, 1);
    assert.match(notes[0] ?? '', /online/);
    assert.deepEqual(buildCpuTopology(facts).littleCpus, [0, 1, 2, 3]);
  });
});

test('malformed online file: noted, and the cpuN directories are used', () => {
  withTree(copyOf('phone-2cluster-capacity'), (root) => {
    writeFileSync(join(root, 'devices/system/cpu/online'), '7-0\n');
    const { facts, notes } = readCpuFacts(root);
    assert.deepEqual(facts.map((f) => f.id), range(0, 7));
    assert.ok(notes.some((n) => n.includes('7-0')), notes.join('\n'));
  });
});

test('one cpu_capacity missing: capacities come from frequency, same little/big', () => {
  withTree(copyOf('phone-2cluster-capacity'), (root) => {
    rmSync(join(root, 'devices/system/cpu/cpu7/cpu_capacity'));
    const t = readCpuTopology(root);
    assert.equal(t.capacitySource, 'max_freq');
    assert.deepEqual(t.littleCpus, [0, 1, 2, 3]);
    assert.deepEqual(t.bigCpus, [4, 5, 6, 7]);
    assert.equal(t.cpus[0]?.capacity, 764);
  });
});

test('garbage and unreadable files are unknown, never a crash', () => {
  withTree(copyOf('phone-2cluster-capacity'), (root) => {
    writeFileSync(join(root, 'devices/system/cpu/cpu2/cpu_capacity'), 'fast\n');
    // A directory where a file should be: reading it fails (EISDIR) even as root.
    const capacity6 = join(root, 'devices/system/cpu/cpu6/cpu_capacity');
    rmSync(capacity6);
    mkdirSync(capacity6);
    writeFileSync(join(root, 'devices/system/cpu/cpufreq/policy4/related_cpus'), '4 five 6\n');
    const { facts, notes } = readCpuFacts(root);
    assert.equal(facts.length, 8);
    assert.equal(facts[2]?.capacity, undefined);
    assert.equal(facts[6]?.capacity, undefined);
    assert.ok(notes.some((n) => n.includes('cpu2/cpu_capacity')), notes.join('\n'));
    assert.ok(notes.some((n) => n.includes('related_cpus')), notes.join('\n'));
    // related_cpus was bad, affected_cpus still names the policy's CPUs.
    assert.equal(facts[5]?.policy, 4);
    const t = buildCpuTopology(facts);
    assert.equal(t.capacitySource, 'max_freq');
    assert.deepEqual(t.littleCpus, [0, 1, 2, 3]);
  });
});

test('only an online file: every CPU 1024, homogeneous', () => {
  withTree(tree({ online: '0-3\n' }), (root) => {
    const t = readCpuTopology(root);
    assert.deepEqual(ids(t), [0, 1, 2, 3]);
    assert.equal(t.capacitySource, 'unknown');
    assert.equal(t.heterogeneous, false);
    assert.deepEqual(t.littleCpus, [0, 1, 2, 3]);
  });
});

test('old kernel layout (cpuN/cpufreq directories, no policyM): policy and frequency per CPU', () => {
  const files: Record<string, string> = { online: '0-3\n' };
  for (const id of range(0, 3)) {
    files[`cpu${id}/cpufreq/related_cpus`] = id < 2 ? '0 1 \n' : '2 3 \n';
    files[`cpu${id}/cpufreq/cpuinfo_max_freq`] = id < 2 ? '1400000\n' : '1800000\n';
  }
  withTree(tree(files), (root) => {
    const t = readCpuTopology(root);
    assert.deepEqual(t.clusters.map((c) => [c.id, c.cpus]), [
      [0, [0, 1]],
      [2, [2, 3]],
    ]);
    assert.deepEqual(t.littleCpus, [0, 1]);
    assert.deepEqual(t.bigCpus, [2, 3]);
  });
});

test('no sysfs at all: an empty topology, not a crash', () => {
  const { facts, notes } = readCpuFacts('/nonexistent/lmk-sysfs');
  assert.deepEqual(facts, []);
  assert.equal(notes.length, 1);
  assert.deepEqual(readCpuTopology('/nonexistent/lmk-sysfs').cpus, []);
});

// ---- resolveCpuSelection ----

test('resolveCpuSelection on a 3-cluster phone', () => {
  const t = readCpuTopology(fixture('phone-3cluster-cpufreq-only'));
  assert.deepEqual(resolveCpuSelection('little', t), [0, 1, 2, 3]);
  assert.deepEqual(resolveCpuSelection('big', t), [4, 5, 6, 7]);
  assert.deepEqual(resolveCpuSelection('all', t), range(0, 7));
  assert.deepEqual(resolveCpuSelection([7], t), [7]);
});

test('resolveCpuSelection on a homogeneous machine: little, big and all are the same', () => {
  const t = readCpuTopology(fixture('homogeneous-2cpu'));
  for (const selection of ['little', 'big', 'all'] as const) assert.deepEqual(resolveCpuSelection(selection, t), [0, 1]);
});

test('resolveCpuSelection: an explicit list keeps only online CPUs, sorted, once each', () => {
  const t = readCpuTopology(fixture('phone-2cluster-cpu5-offline'));
  assert.deepEqual(resolveCpuSelection([6, 5, 4, 4], t), [4, 6]);
  assert.deepEqual(resolveCpuSelection('big', t), [4, 6, 7]);
  assert.deepEqual(resolveCpuSelection('all', t), [0, 1, 2, 3, 4, 6, 7]);
});

test('resolveCpuSelection: nothing left is an error naming the request and the online CPUs', () => {
  const t = readCpuTopology(fixture('phone-2cluster-cpu5-offline'));
  assert.throws(() => resolveCpuSelection([5], t), /CPUs 5 matches no online CPU \(online: 0-4,6-7\)/);
  assert.throws(() => resolveCpuSelection([8, 9, 10], t), /CPUs 8-10 .*online: 0-4,6-7/);
  assert.throws(() => resolveCpuSelection([], t), /CPUs none .*online: 0-4,6-7/);
  assert.throws(() => resolveCpuSelection([-1], t), /not CPU ids: -1/);
  assert.throws(() => resolveCpuSelection('little', buildCpuTopology([])), /'little' matches no online CPU \(online: none\)/);
});

test('resolveCpuSelection returns a fresh array the caller may change', () => {
  const t = readCpuTopology(fixture('phone-2cluster-capacity'));
  const little = resolveCpuSelection('little', t);
  little.push(99);
  assert.deepEqual(t.littleCpus, [0, 1, 2, 3]);
});
