import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { vmRssKb } from '../support/proc-status.js';
import { after, afterEach, describe, it } from 'node:test';
import { KillRecordSchema, type KillRecord } from '../../src/kill-record.js';
import { AgentProcess } from '../support/agent-process.js';
import { TestCgroup } from '../support/cgroups.js';
import type { TestChild } from '../support/children.js';
import { MemoryScope } from '../support/memory-scope.js';

const KiB_PER_MiB = 1024;
/** A child that keeps growing at adj 0 until something gives: the pressure in these tests. */
const GROWER = { grow: { stepMib: 2, intervalMs: 40 } } as const;

function firstKill(agent: AgentProcess, timeoutMs = 60_000): Promise<KillRecord> {
  return agent.waitFor((line) => line.event === 'kill', timeoutMs).then((line) => KillRecordSchema.parse(line));
}


describe('the agent, on real processes under real pressure', { skip: MemoryScope.skipReason() }, () => {
  let scope: MemoryScope | undefined;
  let agent: AgentProcess | undefined;
  let freezer: TestCgroup | undefined;

  afterEach(async () => {
    await agent?.stop();
    freezer?.write('freezer.state', 'THAWED');
    await scope?.dispose();
    await freezer?.remove();
    agent = undefined;
    scope = undefined;
    freezer = undefined;
  });

  it('reaps a frozen victim: its memory is freed while it stays frozen, and the record says so', { skip: !TestCgroup.available('freezer') && 'needs cgroup-v1 freezer' }, async () => {
    scope = MemoryScope.create('reap-frozen', { ramMib: 160, swapMib: 256 });
    freezer = TestCgroup.create('freezer', 'reap-frozen');
    const victim = await scope.hog(96, 'pause', { oomScoreAdj: 900, name: 'com.example.frozen' }, [freezer]);
    freezer.write('freezer.state', 'FROZEN');
    agent = AgentProcess.start({ scope: scope.scopeConfig, reaper: { cpus: 'all' } });
    await agent.ready();
    await scope.hog(2048, GROWER, { oomScoreAdj: 0 });

    const record = await firstKill(agent);
    assert.equal(record.pid, victim.pid, 'the highest-adj process is the first victim');
    assert.equal(record.name.endsWith('com.example.frozen'), true, record.name);
    assert.equal(record.band, 'cached');
    assert.ok(record.reap, 'it was handed to a reaper');
    assert.equal(record.reap.errno, null, 'process_mrelease succeeded (a frozen victim cannot free itself first)');
    assert.ok(record.reap.ms > 0);
    assert.ok(record.reap.cpu !== null);
    assert.ok(record.freedKb !== null && record.freedKb >= 90 * KiB_PER_MiB, `freedKb ${record.freedKb}`);
    assert.equal(record.exitMs, null, 'a frozen victim does not exit');
    assert.equal(freezer.read('freezer.state').trim(), 'FROZEN');
    assert.equal(victim.exited, false, 'still there, frozen');
    assert.ok((vmRssKb(victim.pid) ?? 0) < 1024, `its memory is gone: VmRSS ${vmRssKb(victim.pid)} kB`);
  });

  it('kills nothing in a dry run, but names the victim it would kill', async () => {
    scope = MemoryScope.create('dry-run', { ramMib: 160, swapMib: 256 });
    const victim = await scope.hog(64, 'pause', { oomScoreAdj: 900 });
    agent = AgentProcess.start({ scope: scope.scopeConfig, reaper: { cpus: 'all' }, dryRun: true });
    await agent.ready();
    const grower = await scope.hog(2048, GROWER, { oomScoreAdj: 0 });

    const record = await firstKill(agent);
    assert.equal(record.dryRun, true);
    assert.equal(record.pid, victim.pid);
    assert.equal(record.reap, null);
    await grower.kill(); // end the pressure before the memcg would fill
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(victim.exited, false, 'the victim lives');
    assert.ok(agent.events('kill').every((line) => line['dryRun'] === true), 'no real kill');
  });

  it('never kills a protected package, and takes the next candidate instead', async () => {
    scope = MemoryScope.create('protected', { ramMib: 160, swapMib: 256 });
    const keep = await scope.hog(48, 'pause', { oomScoreAdj: 950, name: 'com.example.keep' });
    const other = await scope.hog(48, 'pause', { oomScoreAdj: 800, name: 'com.example.other' });
    agent = AgentProcess.start({ scope: scope.scopeConfig, reaper: { cpus: 'all' }, protectedPackages: ['com\\.example\\.keep'] });
    await agent.ready();
    const grower = await scope.hog(2048, GROWER, { oomScoreAdj: 0 });

    const record = await firstKill(agent);
    assert.equal(record.pid, other.pid, 'the unprotected process went first although its adj is lower');
    await grower.kill();
    await other.waitExit();
    assert.equal(keep.exited, false, 'the protected package lives');
    assert.ok(agent.events('kill').every((line) => line['pid'] !== keep.pid));
  });
});

describe('the agent process', { skip: process.getuid?.() !== 0 ? 'needs root' : false }, () => {
  let agent: AgentProcess | undefined;
  after(async () => agent?.stop());

  it('names its threads, locks its code and keeps reapers pinned where configured', async () => {
    agent = AgentProcess.start({ dryRun: true, reaper: { cpus: [0], threads: 2 } });
    await agent.ready();
    const pid = agent.child.pid!;
    const tasks = readFileSync(`/proc/${pid}/status`, 'utf8');
    assert.ok(Number(/^VmLck:\s+(\d+)/m.exec(tasks)?.[1]) > 1024, 'code mappings locked');
    const { readdirSync } = await import('node:fs');
    const threads = readdirSync(`/proc/${pid}/task`).map((tid) => ({
      comm: readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim(),
      cpus: /^Cpus_allowed_list:\s+(\S+)$/m.exec(readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8'))?.[1],
    }));
    const names = threads.map((t) => t.comm);
    for (const name of ['lmk-agent', 'lmk-events', 'lmk-reaper0', 'lmk-reaper1']) assert.ok(names.includes(name), `${name} in ${names.join(',')}`);
    for (const reaper of threads.filter((t) => t.comm.startsWith('lmk-reaper'))) assert.equal(reaper.cpus, '0');
    const reapers = agent.events('reapers')[0];
    assert.deepEqual(reapers?.['cpus'], [0]);
  });
});
