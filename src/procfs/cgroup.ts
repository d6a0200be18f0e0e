import { ParseError, parseIntStrict } from '../parse-error.js';

export interface CgroupMembership {
  readonly hierarchyId: number;
  /** Empty for the cgroup2 line ("0::/path"); named hierarchies appear as "name=systemd". */
  readonly controllers: readonly string[];
  readonly path: string;
}

/** /proc/<pid>/cgroup: "hierarchy-ID:controller-list:cgroup-path" per line. */
export function parseProcCgroup(text: string): CgroupMembership[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const first = line.indexOf(':');
      const second = line.indexOf(':', first + 1);
      if (first < 0 || second < 0) throw new ParseError('/proc/<pid>/cgroup', `bad line ${JSON.stringify(line)}`);
      const path = line.slice(second + 1);
      if (!path.startsWith('/')) throw new ParseError('/proc/<pid>/cgroup', `path is not absolute in ${JSON.stringify(line)}`);
      const controllers = line.slice(first + 1, second);
      return {
        hierarchyId: parseIntStrict(line.slice(0, first), '/proc/<pid>/cgroup', 'hierarchy id'),
        controllers: controllers === '' ? [] : controllers.split(','),
        path,
      };
    });
}

/** The process's cgroup path in the v1 hierarchy of `controller`, or in cgroup2 when omitted. */
export function cgroupPathOf(memberships: readonly CgroupMembership[], controller?: string): string | undefined {
  if (controller === undefined) return memberships.find((m) => m.hierarchyId === 0 && m.controllers.length === 0)?.path;
  return memberships.find((m) => m.controllers.includes(controller))?.path;
}
