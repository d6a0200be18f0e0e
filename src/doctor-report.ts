import { z } from 'zod';

/**
 * What a machine offers the agent, as `lmk-agent doctor --json` prints it and the host reads it
 * back (locally or through adb). null means "could not be determined", never "no".
 */
const maybe = z.boolean().nullable();

export const CpuInfoSchema = z.object({
  id: z.number().int().nonnegative(),
  capacity: z.number().nonnegative(),
  maxFreqKhz: z.number().int().nonnegative().nullable(),
  cluster: z.number().int().nonnegative(),
});

export const DoctorReportSchema = z.object({
  kernel: z.string().nullable(),
  /** Android ABI name of this CPU: arm64-v8a, armeabi-v7a, x86_64. */
  abi: z.string(),
  root: z.boolean(),
  pidfd: maybe,
  processMrelease: maybe,
  /** System PSI triggers on /proc/pressure/memory. */
  psi: maybe,
  /** Window the kernel accepted for a 1 s trigger: 1000000, or 2000000 without CAP_SYS_RESOURCE. */
  psiWindowUs: z.number().int().positive().nullable(),
  /** Triggers on a cgroup2 memory.pressure file. */
  cgroupPsi: maybe,
  memcgV1: maybe,
  freezerV1: maybe,
  cgroup2: maybe,
  /** Swap is active now. */
  swap: maybe,
  /** The zram driver is there to make swap with. */
  zram: maybe,
  cpus: z.array(CpuInfoSchema),
  littleCpus: z.array(z.number().int().nonnegative()),
  bigCpus: z.array(z.number().int().nonnegative()),
  heterogeneous: z.boolean(),
  android: z.boolean(),
  stockLmkd: maybe,
  /** One line per probe that could not decide or found something worth knowing. */
  notes: z.array(z.string()),
});

export type DoctorReport = z.infer<typeof DoctorReportSchema>;
export type CpuInfo = z.infer<typeof CpuInfoSchema>;

/** Android's ABI names for Node's process.arch values. */
export function androidAbi(arch: string): string {
  switch (arch) {
    case 'arm64':
      return 'arm64-v8a';
    case 'arm':
      return 'armeabi-v7a';
    case 'x64':
      return 'x86_64';
    case 'ia32':
      return 'x86';
    default:
      return arch;
  }
}
