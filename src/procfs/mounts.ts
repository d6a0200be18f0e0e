import { ParseError } from '../parse-error.js';

export interface MountEntry {
  readonly source: string;
  readonly mountPoint: string;
  readonly fsType: string;
  readonly options: readonly string[];
}

/** The kernel escapes space, tab, newline and backslash in mount fields as octal. */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** /proc/<pid>/mounts (fstab format). */
export function parseMounts(text: string): MountEntry[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const fields = line.split(' ');
      if (fields.length < 4) throw new ParseError('mounts', `too few fields in ${JSON.stringify(line)}`);
      const [source, mountPoint, fsType, options] = fields as [string, string, string, string];
      return { source: unescape(source), mountPoint: unescape(mountPoint), fsType, options: options.split(',') };
    });
}

/** Where a cgroup-v1 controller (e.g. "memory", "freezer") is mounted, if it is. */
export function cgroupV1MountPoint(mounts: readonly MountEntry[], controller: string): string | undefined {
  return mounts.find((m) => m.fsType === 'cgroup' && m.options.includes(controller))?.mountPoint;
}

export function cgroupV2MountPoint(mounts: readonly MountEntry[]): string | undefined {
  return mounts.find((m) => m.fsType === 'cgroup2')?.mountPoint;
}
