import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ParseError } from '../../src/parse-error.js';
import { cgroupPathOf, parseProcCgroup } from '../../src/procfs/cgroup.js';
import { cgroupV1MountPoint, cgroupV2MountPoint, parseMounts } from '../../src/procfs/mounts.js';
import { parseSwaps } from '../../src/procfs/swaps.js';

// Lines as this machine (Linux 6.18, Debian 12 VM) prints them, plus an Android-style cgroup2 layout.
const MOUNTS = `/dev/vda / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0
cgroup /sys/fs/cgroup/freezer cgroup rw,relatime,freezer 0 0
cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0
/dev/vdb /mnt/with\\040space ext4 rw 0 0
`;

describe('parseMounts', () => {
  it('finds cgroup v1 controllers and the cgroup2 mount', () => {
    const mounts = parseMounts(MOUNTS);
    assert.equal(cgroupV1MountPoint(mounts, 'memory'), '/sys/fs/cgroup/memory');
    assert.equal(cgroupV1MountPoint(mounts, 'freezer'), '/sys/fs/cgroup/freezer');
    assert.equal(cgroupV1MountPoint(mounts, 'cpuset'), undefined);
    assert.equal(cgroupV2MountPoint(mounts), '/sys/fs/cgroup/unified');
    assert.equal(mounts[5]?.mountPoint, '/mnt/with space');
  });

  it('refuses a line with too few fields', () => {
    assert.throws(() => parseMounts('cgroup /sys/fs/cgroup\n'), ParseError);
  });
});

describe('parseProcCgroup', () => {
  const text = '9:name=systemd:/\n4:memory:/process_api/65d866b9\n6:freezer:/\n0::/\n';

  it('gives the path per controller and the cgroup2 path', () => {
    const memberships = parseProcCgroup(text);
    assert.equal(cgroupPathOf(memberships, 'memory'), '/process_api/65d866b9');
    assert.equal(cgroupPathOf(memberships, 'freezer'), '/');
    assert.equal(cgroupPathOf(memberships), '/');
    assert.equal(cgroupPathOf(memberships, 'name=systemd'), '/');
    assert.equal(cgroupPathOf(parseProcCgroup('0::/uid_10123/pid_4567\n')), '/uid_10123/pid_4567');
  });

  it('refuses malformed lines', () => {
    assert.throws(() => parseProcCgroup('memory:/x\n'), ParseError);
    assert.throws(() => parseProcCgroup('x:memory:/x\n'), ParseError);
    assert.throws(() => parseProcCgroup('4:memory:relative\n'), ParseError);
  });
});

describe('parseSwaps', () => {
  it('reads no areas from a bare header, and zram areas like a phone', () => {
    assert.deepEqual(parseSwaps('Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n'), []);
    const areas = parseSwaps('Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/dev/block/zram0                        partition\t3145724\t\t1187328\t\t-2\n');
    assert.deepEqual(areas, [{ filename: '/dev/block/zram0', type: 'partition', sizeKb: 3145724, usedKb: 1187328, priority: -2 }]);
  });

  it('refuses text without the header or with a short line', () => {
    assert.throws(() => parseSwaps(''), ParseError);
    assert.throws(() => parseSwaps('Filename Type Size Used Priority\n/dev/zram0 partition 10\n'), ParseError);
  });
});
