import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXPERIMENT_SPEC_HELP } from '../../host/commands/experiment-run.js';
import { cgroupPressureOf, componentOf, parseExperimentSpec, parseExperimentSpecText, reaperCpusOf } from '../../src/experiment-spec.js';

const apps = [
  { package: 'com.example.mail', activity: '.Main' },
  { package: 'com.example.maps', activity: 'com.example.maps.ui.MapActivity' },
];
const cgroup = { kind: 'cgroup', cgroup2: '/sys/fs/cgroup/phone', memcg: '/sys/fs/cgroup/memory/phone' };

function errorOf(json: unknown): string {
  const result = parseExperimentSpec(json);
  assert.equal(result.ok, false, 'expected the spec to be refused');
  return result.ok ? '' : result.error;
}

describe('experiment spec', () => {
  it('takes arms as agent configs or null, in the order written, with defaults filled in', () => {
    const result = parseExperimentSpec({ apps, rounds: 3, arms: { little: { reaper: { cpus: 'little' } }, big: { scope: cgroup, reaper: { cpus: [4, 5] } }, stock: null } });
    assert.ok(result.ok, result.ok ? '' : result.error);
    const { spec } = result;
    assert.deepEqual(spec.arms.map((arm) => arm.name), ['little', 'big', 'stock']);
    assert.deepEqual(spec.arms[0]?.config, { reaper: { cpus: 'little' } }, 'the config is kept as written');
    assert.equal(spec.arms[2]?.config, null);
    assert.equal(spec.name, 'experiment');
    assert.equal(spec.pauseMs, 1000);
    assert.equal(spec.settleMs, 1000);
    assert.deepEqual(spec.psi, { intervalMs: 500 });
    assert.equal(componentOf(spec.apps[0]!), 'com.example.mail/.Main');
    assert.deepEqual(spec.arms.map((arm) => reaperCpusOf(arm.config)), ['little', '4,5', '-']);
    assert.equal(cgroupPressureOf(spec.arms), '/sys/fs/cgroup/phone/memory.pressure');
  });

  it("refuses a bad arm config with the path of the bad field inside it", () => {
    assert.match(errorOf({ apps, rounds: 1, arms: { little: { reaper: { cpus: 'tiny' } } } }), /^arms\.little\.reaper\.cpus: expected "little", "big", "all" or a list of CPU ids$/);
    assert.match(errorOf({ apps, rounds: 1, arms: { a: { reaper: { cpus: [-1] } } } }), /^arms\.a\.reaper\.cpus\.0: /);
    assert.match(errorOf({ apps, rounds: 1, arms: { a: { psi: { windowMs: 5 } } } }), /^arms\.a\.psi\.windowMs: /);
    assert.match(errorOf({ apps, rounds: 1, arms: { a: { reaperr: {} } } }), /^arms\.a\.reaperr: Unrecognized key$/);
    assert.match(errorOf({ apps, rounds: 1, arms: { a: 'fast' } }), /^arms\.a: expected an agent config \(a JSON object\) or null$/);
  });

  it('refuses bad top-level fields with their path', () => {
    assert.match(errorOf({ apps, rounds: 0, arms: { a: null } }), /^rounds: /);
    assert.match(errorOf({ apps: [], rounds: 1, arms: { a: null } }), /^apps: /);
    assert.match(errorOf({ apps: [{ package: 'mail', activity: '.Main' }], rounds: 1, arms: { a: null } }), /^apps\.0\.package: expected a package name/);
    assert.match(errorOf({ apps: [{ package: 'com.x.y', activity: '.Main; reboot' }], rounds: 1, arms: { a: null } }), /^apps\.0\.activity: /);
    assert.match(errorOf({ apps: [apps[0], apps[0]], rounds: 1, arms: { a: null } }), /^apps\.1: com\.example\.mail\/\.Main is listed twice$/);
    assert.match(errorOf({ apps, rounds: 1, arms: {} }), /^arms: needs at least one arm$/);
    assert.match(errorOf({ apps, rounds: 1, arms: { '1': null } }), /^arms\.1: an arm name starts with a letter/);
    assert.match(errorOf({ apps, rounds: 1, arms: { a: null }, pause: 3 }), /^pause: Unrecognized key$/);
    assert.match(errorOf({ apps, rounds: 1, arms: { a: null }, psi: { path: 'memory.pressure' } }), /^psi\.path: must be an absolute path$/);
    assert.match(errorOf({ apps, rounds: 1, arms: { a: null }, background: { apps: [] } }), /^background\.apps: /);
  });

  it('names the file in errors of a spec file, and says where its JSON breaks', () => {
    const bad = parseExperimentSpecText('{"apps": [', 'spec.json');
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.error, /^spec\.json: invalid JSON: /);
    const wrong = parseExperimentSpecText(JSON.stringify({ apps, rounds: 'two', arms: { a: null } }), 'spec.json');
    assert.match(wrong.ok ? '' : wrong.error, /^spec\.json: rounds: /);
  });

  it("the example in `lmk experiment run --help` is a valid spec", () => {
    const json = EXPERIMENT_SPEC_HELP.slice(EXPERIMENT_SPEC_HELP.indexOf('{'), EXPERIMENT_SPEC_HELP.lastIndexOf('}') + 1);
    const result = parseExperimentSpec(JSON.parse(json));
    assert.ok(result.ok, result.ok ? '' : result.error);
    assert.deepEqual(result.spec.arms.map((arm) => arm.name), ['little', 'big', 'stock']);
  });
});
