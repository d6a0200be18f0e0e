import { readdirSync, readFileSync } from 'node:fs';
import { MAX_CPU_ID, parseCpuList, parseCpuSpaceList } from '../src/cpu-list.js';
import { buildCpuTopology, type CpuFacts, type CpuTopology } from '../src/cpu-topology.js';
import { ParseError, parseIntStrict } from '../src/parse-error.js';

export interface CpuFactsReading {
  /** One entry per online CPU, ascending id. */
  readonly facts: CpuFacts[];
  /** Files that were there but unusable, and fallbacks taken; missing optional files are normal and not noted. */
  readonly notes: string[];
}

/** A sysfs file's text, or undefined when it is missing or unreadable (both normal in sysfs). */
function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function names(dir: string): string[] | undefined {
  try {
    return readdirSync(dir);
  } catch {
    return undefined;
  }
}

/** Reads CPU facts from sysfs, degrading to "unknown" on anything missing or malformed; never throws. */
export function readCpuFacts(sysfsRoot = '/sys'): CpuFactsReading {
  const cpuDir = `${sysfsRoot}/devices/system/cpu`;
  const notes: string[] = [];

  function parsed<T>(path: string, parse: (text: string, source: string) => T): T | undefined {
    const text = readText(path);
    if (text === undefined) return undefined;
    try {
      return parse(text, path);
    } catch (error) {
      notes.push(error instanceof ParseError ? error.message : `${path}: ${String(error)}`);
      return undefined;
    }
  }

  function positiveInt(path: string, what: string): number | undefined {
    return parsed(path, (text, source) => {
      const n = parseIntStrict(text.trim(), source, what);
      if (n <= 0) throw new ParseError(source, `${what} is not positive: ${n}`);
      return n;
    });
  }

  const listed = parsed(`${cpuDir}/online`, parseCpuList);
  const online = listed !== undefined && listed.length > 0 ? listed : onlineFromDirectories(cpuDir, notes);

  // cpufreq policies: each policyM lists its CPUs (related_cpus, offline ones included) and one max frequency.
  const policyOf = new Map<number, { policy: number; maxFreqKhz: number | undefined }>();
  for (const name of names(`${cpuDir}/cpufreq`) ?? []) {
    const match = /^policy(\d+)$/.exec(name);
    if (!match) continue;
    const policy = Number(match[1]);
    const dir = `${cpuDir}/cpufreq/${name}`;
    const members =
      parsed(`${dir}/related_cpus`, parseCpuSpaceList) ?? parsed(`${dir}/affected_cpus`, parseCpuSpaceList) ?? [policy];
    const maxFreqKhz = positiveInt(`${dir}/cpuinfo_max_freq`, 'cpuinfo_max_freq');
    for (const cpu of members) policyOf.set(cpu, { policy, maxFreqKhz });
  }

  const facts = online.map((id): CpuFacts => {
    const dir = `${cpuDir}/cpu${id}`;
    const capacity = positiveInt(`${dir}/cpu_capacity`, 'cpu_capacity');
    const fromPolicy = policyOf.get(id);
    // Old kernels have no policyM directories, only cpuN/cpufreq: read the CPU's own view.
    const maxFreqKhz = fromPolicy?.maxFreqKhz ?? positiveInt(`${dir}/cpufreq/cpuinfo_max_freq`, 'cpuinfo_max_freq');
    const policy = fromPolicy?.policy ?? parsed(`${dir}/cpufreq/related_cpus`, parseCpuSpaceList)?.[0];
    return {
      id,
      ...(capacity !== undefined && { capacity }),
      ...(maxFreqKhz !== undefined && { maxFreqKhz }),
      ...(policy !== undefined && { policy }),
    };
  });
  return { facts, notes };
}

/** Without a usable `online` file: the cpuN directories, minus those whose own `online` says 0. */
function onlineFromDirectories(cpuDir: string, notes: string[]): number[] {
  const entries = names(cpuDir);
  if (entries === undefined) {
    notes.push(`${cpuDir}: unreadable; no CPUs known`);
    return [];
  }
  notes.push(`${cpuDir}/online: missing or unusable; using the cpuN directories`);
  return entries
    .flatMap((name) => {
      const match = /^cpu(\d+)$/.exec(name);
      return match ? [Number(match[1])] : [];
    })
    .filter((id) => id <= MAX_CPU_ID)
    .filter((id) => readText(`${cpuDir}/cpu${id}/online`)?.trim() !== '0')
    .sort((a, b) => a - b);
}

/** The online CPUs classified little → big (see src/cpu-topology.ts); never throws. */
export function readCpuTopology(sysfsRoot = '/sys'): CpuTopology {
  return buildCpuTopology(readCpuFacts(sysfsRoot).facts);
}
