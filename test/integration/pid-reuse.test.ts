import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const probe = fileURLToPath(new URL('../support/pid-reuse-probe.js', import.meta.url));

describe('a process handle and a recycled pid', { skip: process.getuid?.() !== 0 ? 'needs root' : false }, () => {
  it('refuses to act once its pid belongs to another process', () => {
    // The probe is pid 1 of its own pid namespace; when it exits the kernel ends all it started.
    const out = execFileSync('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, probe], { encoding: 'utf8', timeout: 30_000 });
    const result = JSON.parse(out) as Record<string, unknown>;
    assert.equal(result['reused'], true, `the pid was recycled: ${out}`);
    assert.equal(result['signal0'], 'refused');
    assert.equal(result['kill'], 'refused');
    assert.equal(result['readProcFile'], 'refused');
    assert.equal(result['openWithOldStartTime'], 'refused');
    assert.equal(result['newProcessAlive'], true, 'the new owner of the pid was not signalled');
    assert.equal(result['openNewWithItsStartTime'], 'acted');
  });
});
