// Every /proc text parser, in one place. PSI text is parsed by ../psi.ts.
export { cgroupPathOf, parseProcCgroup, type CgroupMembership } from './cgroup.js';
export { parseCmdline, processName } from './cmdline.js';
export { parseMeminfo, type Meminfo } from './meminfo.js';
export { cgroupV1MountPoint, cgroupV2MountPoint, parseMounts, type MountEntry } from './mounts.js';
export { OOM_SCORE_ADJ_MAX, OOM_SCORE_ADJ_MIN, parseOomScoreAdj } from './oom-score-adj.js';
export { PF_KTHREAD, parseStat, type ProcStat } from './stat.js';
export { parseStatm, type ProcStatm } from './statm.js';
export { parseStatus, statusKb, type ProcStatus, type Uids } from './status.js';
export { parseSwaps, type SwapArea } from './swaps.js';
export { parseVmstat, type Vmstat } from './vmstat.js';
export { parseZoneinfo, watermarks, type Watermarks, type Zone, type Zoneinfo, type ZoneinfoNode } from './zoneinfo.js';
