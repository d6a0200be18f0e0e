import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseCmdline, processName } from '../../src/procfs/cmdline.js';
import { parseStat } from '../../src/procfs/stat.js';

const capture = (path: string): string =>
  readFileSync(new URL(`../../../test/fixtures/captures/${path}`, import.meta.url), 'utf8');

/** processName as the agent will compute it: cmdline and stat of one process directory. */
const nameOf = (dir: string): string =>
  processName(parseCmdline(capture(`${dir}/cmdline`)), parseStat(capture(`${dir}/stat`)).comm);

describe('parseCmdline', () => {
  it('splits pid 1 on NULs, dropping the final one', () => {
    const argv = parseCmdline(capture('linux-6.18-x86_64/pid-1/cmdline'));
    assert.equal(argv[0], '/process_api');
    assert.equal(argv[1], '--firecracker-init');
    assert.equal(argv.at(-1), '--auth-required');
    assert.equal(argv.length, 15);
  });

  it('keeps a space and ") " inside an argument', () => {
    const argv = parseCmdline(capture('linux-6.18-x86_64/pid-comm-paren/cmdline'));
    assert.match(argv[0]!, /\/a b\) c\(d$/);
    assert.deepEqual(argv.slice(1), ['30']);
  });

  it('gives [] for a kernel thread and a zombie', () => {
    assert.deepEqual(parseCmdline(capture('linux-6.18-x86_64/pid-2-kthreadd/cmdline')), []);
    assert.deepEqual(parseCmdline(capture('linux-6.18-x86_64/pid-zombie/cmdline')), []);
  });

  it("drops the NUL padding of zygote's zeroed argv block", () => {
    const text = capture('android-constructed/gki-5.10-arm64/pid-12873-com.example.mail/cmdline');
    assert.equal(text.length, 99);
    assert.deepEqual(parseCmdline(text), ['com.example.mail']);
  });

  it('keeps empty arguments in the middle and setproctitle text without NULs', () => {
    assert.deepEqual(parseCmdline('a\0\0b\0'), ['a', '', 'b']);
    assert.deepEqual(parseCmdline('sshd: root@pts/0'), ['sshd: root@pts/0']);
  });
});

describe('processName', () => {
  it('is the package name for Android apps, whose comm is cut to its last 15 bytes', () => {
    assert.equal(nameOf('android-constructed/gki-5.10-arm64/pid-12873-com.example.mail'), 'com.example.mail');
    assert.equal(
      nameOf('android-constructed/gki-5.15-arm64/pid-3318-com.google.android.gms.persistent'),
      'com.google.android.gms.persistent',
    );
    assert.equal(nameOf('android-constructed/gki-5.10-arm64/pid-1573-system_server'), 'system_server');
  });

  it('is argv[0] as is, path included, for ordinary processes', () => {
    assert.equal(nameOf('linux-6.18-x86_64/pid-1'), '/process_api');
    assert.equal(nameOf('linux-6.18-x86_64/pid-argv0-adj900'), 'com.example.mail');
  });

  it('falls back to comm when cmdline is empty', () => {
    assert.equal(nameOf('linux-6.18-x86_64/pid-2-kthreadd'), 'kthreadd');
    assert.equal(nameOf('linux-6.18-x86_64/pid-zombie'), 'bash');
    assert.equal(processName([''], 'comm'), 'comm');
  });
});
