import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeFailure, failureLine, lastJson, lastReply, LocalDevice, type AgentSite } from '../../host/commands/agent-client.js';
import { PidsSchema } from '../../src/supervisor-protocol.js';

const site = (local: boolean): AgentSite => ({ where: local ? 'this machine' : '127.0.0.1:5555', local, device: new LocalDevice(), stateDir: '/x', command: () => 'true' });

describe("reading the agent's merged output", () => {
  it('finds the reply among the lines, the last one winning', () => {
    const output = 'WARNING: linker: something\n{"ok":true,"pid":1}\n{"ok":false,"error":"later"}\n';
    assert.deepEqual(lastReply(output), { ok: false, error: 'later' });
    assert.equal(lastReply('lmk-agent: no agent running (no socket at /x/control.sock)\n'), undefined);
  });

  it("takes the agent's reason from its last line that is not JSON", () => {
    assert.equal(failureLine('{"ok":false}\nlmk-agent: permission denied: run as root\n'), 'permission denied: run as root');
    assert.equal(failureLine('\n\n'), undefined);
  });

  it('names the device an agent is missing on, and keeps the local message as it is', () => {
    const reason = 'no agent running (no socket at /x/control.sock)';
    assert.equal(describeFailure(site(false), reason), 'no agent running on 127.0.0.1:5555 (no socket at /x/control.sock)');
    assert.equal(describeFailure(site(true), reason), reason);
  });

  it('parses the last JSON line a schema accepts', () => {
    const output = '{"stateDir":"/x","supervisorPid":1,"agentPid":2}\n{"other":true}\nnoise {\n';
    assert.deepEqual(lastJson(output, PidsSchema), { stateDir: '/x', supervisorPid: 1, agentPid: 2 });
    assert.equal(lastJson('{broken\n', PidsSchema), undefined);
  });
});

describe('this machine as a device', () => {
  it('runs a shell command with stderr merged and its exit code', async () => {
    const run = await new LocalDevice().shell("echo out; echo err >&2; exit 3");
    assert.deepEqual(run, { output: 'out\nerr\n', exitCode: 3 });
  });

  it('streams lines and stops the whole command when aborted', async () => {
    const lines: string[] = [];
    const controller = new AbortController();
    const code = await new LocalDevice().shellLines('echo one; sleep 0.2; echo two >&2; sleep 30; echo never', (line) => {
      lines.push(line);
      if (line === 'two') controller.abort();
    }, { signal: controller.signal });
    assert.equal(code, null);
    assert.deepEqual(lines, ['one', 'two']);
  });
});
