import type { DoctorReport } from './doctor-report.js';

function yesNo(value: boolean | null): string {
  return value === null ? 'unknown' : value ? 'yes' : 'no';
}

function cpuList(cpus: readonly number[]): string {
  return cpus.length === 0 ? 'none' : cpus.join(',');
}

/** The doctor report as an aligned, readable table. */
export function formatDoctorReport(report: DoctorReport): string {
  const psi = report.psi ? `yes (window ${report.psiWindowUs === null ? '?' : report.psiWindowUs / 1e6} s)` : yesNo(report.psi);
  const rows: [string, string][] = [
    ['kernel', report.kernel ?? 'unknown'],
    ['abi', report.abi],
    ['root', yesNo(report.root)],
    ['android', yesNo(report.android)],
    ['stock lmkd running', yesNo(report.stockLmkd)],
    ['pidfd', yesNo(report.pidfd)],
    ['process_mrelease', yesNo(report.processMrelease)],
    ['PSI triggers (system)', psi],
    ['PSI triggers (cgroup2)', yesNo(report.cgroupPsi)],
    ['memcg v1', yesNo(report.memcgV1)],
    ['freezer v1', yesNo(report.freezerV1)],
    ['cgroup2', yesNo(report.cgroup2)],
    ['swap active', yesNo(report.swap)],
    ['zram', yesNo(report.zram)],
    ['heterogeneous CPUs', yesNo(report.heterogeneous)],
    ['little CPUs', cpuList(report.littleCpus)],
    ['big CPUs', cpuList(report.bigCpus)],
  ];
  const width = Math.max(...rows.map(([key]) => key.length));
  const lines = rows.map(([key, value]) => `${key.padEnd(width)}  ${value}`);
  lines.push('', `${'cpu'.padEnd(4)} ${'cluster'.padEnd(8)} ${'capacity'.padEnd(9)} max kHz`);
  for (const cpu of report.cpus) {
    lines.push(`${String(cpu.id).padEnd(4)} ${String(cpu.cluster).padEnd(8)} ${String(cpu.capacity).padEnd(9)} ${cpu.maxFreqKhz ?? 'unknown'}`);
  }
  if (report.notes.length > 0) lines.push('', 'notes:', ...report.notes.map((note) => `  ${note}`));
  return `${lines.join('\n')}\n`;
}
