import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isOurs, livePid, pidFilePath, readPidFile, removePidFile, signalIfOurs, writePidFile } from '../../device/supervisor-files.js';
import { RotatingLog } from '../../device/supervisor-log.js';

describe('the supervisor pid files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lmk-pids-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('hold one pid; garbage or nothing reads as no pid', () => {
    const path = pidFilePath(dir, 'agent');
    assert.equal(path, join(dir, 'agent.pid'));
    writePidFile(path, 1234);
    assert.equal(readFileSync(path, 'utf8'), '1234\n');
    assert.equal(readPidFile(path), 1234);
    assert.throws(() => writePidFile(path, 5, true), /EEXIST/);
    writeFileSync(path, 'x12\n');
    assert.equal(readPidFile(path), undefined);
    assert.equal(readPidFile(join(dir, 'none.pid')), undefined);
  });

  it('are removed only while they name the pid that goes', () => {
    const path = pidFilePath(dir, 'supervisor');
    writePidFile(path, 77);
    removePidFile(path, 78);
    assert.equal(existsSync(path), true);
    removePidFile(path, 77);
    assert.equal(existsSync(path), false);
  });

  it('never make a pid that is not lmk-agent ours, so it is never signalled', async () => {
    const entry = '/nonexistent/lmk/agent/main.js';
    // A process whose command line looks like the agent's: node ENTRY run.
    const ours = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)', entry, 'run'], { stdio: 'ignore' });
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      assert.equal(isOurs(ours.pid!, 'agent', '-e'), false, 'the entry must be followed by the subcommand');
      assert.equal(isOurs(other.pid!, 'agent', entry), false);
      assert.equal(isOurs(other.pid!, 'supervisor', entry), false);
      writePidFile(pidFilePath(dir, 'agent'), other.pid!);
      assert.equal(livePid(dir, 'agent', entry), undefined, 'a recycled pid is no agent');
      assert.equal(signalIfOurs(other.pid!, 'agent', 'SIGKILL', entry), false);
      assert.equal(other.exitCode, null);
      assert.equal(isOurs(2 ** 22 + 1, 'agent', entry), false, 'no such process');
    } finally {
      ours.kill('SIGKILL');
      other.kill('SIGKILL');
      await Promise.all([once(ours, 'exit'), once(other, 'exit')]);
    }
  });

  it('recognise node ENTRY run as the agent and signal it', async () => {
    const entry = join(dir, 'main.js');
    writeFileSync(entry, 'setTimeout(() => {}, 30000);\n');
    const agent = spawn(process.execPath, [entry, 'run'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(isOurs(agent.pid!, 'agent', entry), true);
      assert.equal(isOurs(agent.pid!, 'supervisor', entry), false);
      writePidFile(pidFilePath(dir, 'agent'), agent.pid!);
      assert.equal(livePid(dir, 'agent', entry), agent.pid);
      const exited = once(agent, 'exit');
      assert.equal(signalIfOurs(agent.pid!, 'agent', 'SIGTERM', entry), true);
      assert.deepEqual(await exited, [null, 'SIGTERM']);
    } finally {
      agent.kill('SIGKILL');
    }
  });
});

describe('agent.log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lmk-agentlog-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('rotates to agent.1.log when the next write would pass the limit, never splitting a write', () => {
    const log = new RotatingLog(join(dir, 'agent.log'), join(dir, 'agent.1.log'), 100);
    log.write('a'.repeat(59) + '\n');
    log.write('b'.repeat(39) + '\n');
    assert.equal(existsSync(join(dir, 'agent.1.log')), false);
    log.write('c'.repeat(9) + '\n');
    assert.equal(readFileSync(join(dir, 'agent.1.log'), 'utf8'), `${'a'.repeat(59)}\n${'b'.repeat(39)}\n`);
    assert.equal(readFileSync(join(dir, 'agent.log'), 'utf8'), `${'c'.repeat(9)}\n`);
    log.line('warn', { event: 'supervisor', code: 1 }, 'agent exit 1; restarting in 1 s');
    log.close();
    // The JSON line did not fit after the c line: it starts a fresh agent.log.
    assert.equal(readFileSync(join(dir, 'agent.1.log'), 'utf8'), `${'c'.repeat(9)}\n`);
    const record = JSON.parse(readFileSync(join(dir, 'agent.log'), 'utf8')) as Record<string, unknown>;
    assert.equal(record['level'], 40);
    assert.equal(record['name'], 'lmk-supervisor');
    assert.equal(record['msg'], 'agent exit 1; restarting in 1 s');
  });
});
