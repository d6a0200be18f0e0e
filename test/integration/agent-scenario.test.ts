import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { KillRecordSchema, type KillRecord } from '../../src/kill-record.js';
import { AgentProcess } from '../support/agent-process.js';
import { TestChild, waitFor } from '../support/children.js';
import { MemoryScope } from '../support/memory-scope.js';

/**
 * lmkd's own scenario (lmkd_unit_test check_for_oom), adapted: children at adj 1000, 900, … 0
 * grow their memory until killed, inside a memory cgroup with zram swap like a phone. The agent
 * must kill them highest adj first, never below the floor its reason allows, and the kernel's
 * OOM killer must kill none.
 */
describe('the agent under lmkd\'s scenario', { skip: MemoryScope.skipReason() }, () => {
  let scope: MemoryScope | undefined;
  let agent: AgentProcess | undefined;

  after(async () => {
    await agent?.stop();
    await scope?.dispose();
  });

  it('kills the growing children highest adj first, within its floors, before the kernel does', async () => {
    scope = MemoryScope.create('scenario', { ramMib: 384, swapMib: 768 });
    agent = AgentProcess.start({ scope: scope.scopeConfig, reaper: { cpus: 'all' } });
    await agent.ready();

    const adjs = [1000, 900, 800, 700, 600, 500, 400, 300, 200, 100, 0];
    const children: TestChild[] = [];
    // Started a little apart, as apps are opened; each then grows like lmkd's test children.
    for (const adj of adjs) {
      children.push(await scope.hog(2048, { grow: { stepMib: 1, intervalMs: 40 } }, { oomScoreAdj: adj }));
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const byPid = new Map(children.map((child, i) => [child.pid, adjs[i]!]));

    const trace: string[] = [];
    let lastOom = 0;
    const deaths = new Set<number>();
    const allDead = await waitFor(() => {
      const oom = scope!.oomKills();
      if (oom !== lastOom) trace.push(`${new Date().toISOString()} oom_kill ${oom}`);
      lastOom = oom;
      for (const child of children) if (child.exited && !deaths.has(child.pid)) { deaths.add(child.pid); trace.push(`${new Date().toISOString()} exit adj ${byPid.get(child.pid)} pid ${child.pid}`); }
      return children.every((child) => child.exited);
    }, 120_000);
    if (process.env['LMK_TEST_DUMP']) (await import('node:fs')).writeFileSync(`${process.env['LMK_TEST_DUMP']}.trace`, trace.join('\n'));
    if (process.env['LMK_TEST_DUMP']) (await import('node:fs')).writeFileSync(process.env['LMK_TEST_DUMP'], agent.lines.map((l) => JSON.stringify(l)).join('\n'));
    const records: KillRecord[] = agent.events('kill').map((line) => KillRecordSchema.parse(line));
    const killedPids = records.map((r) => r.pid);
    assert.ok(allDead, `all children killed (lmk killed ${killedPids.length}: adj ${records.map((r) => r.adj).join(',')})`);
    assert.equal(scope.oomKills(), 0, 'the kernel OOM killer killed nothing');
    for (const child of children) {
      assert.equal(child.process.signalCode, 'SIGKILL');
      assert.ok(killedPids.includes(child.pid), `child at adj ${byPid.get(child.pid)} (pid ${child.pid}) was killed by lmk`);
    }
    const order = records.map((r) => r.adj);
    assert.deepEqual(order, [...order].sort((a, b) => b - a), `highest adj first: ${order.join(',')}`);
    for (const record of records) {
      assert.equal(record.adj, byPid.get(record.pid), 'recorded adj is the child\'s');
      assert.ok(record.adj >= record.minAdj, `adj ${record.adj} at or above the floor ${record.minAdj} (${record.reason})`);
      assert.equal(record.dryRun, false);
    }
  });
});
