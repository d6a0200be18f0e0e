/**
 * `npm run demo`: lmk on a (simulated) rooted phone, end to end, through the real adb server.
 * Starts the phone, deploys lmk, starts the agent, opens apps until memory pressure builds, and
 * shows `lmk watch` with the real kills and reap times for a bounded time; then cleans up.
 * The phone is the one simulated thing (test/device-sim); everything lmk does to it is real.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { startPhone, type Phone } from '../device-sim/phone.js';
import { lmk, lmkInBackground } from './lmk-cli.js';

const run = promisify(execFile);

interface DemoOptions {
  readonly duration: string;
  readonly ramMib: string;
  readonly reaperCpus: string;
}

function say(text: string): void {
  process.stdout.write(`\n\x1b[1m== ${text}\x1b[0m\n`);
}

async function openApp(serial: string, packageName: string, activity: string): Promise<string> {
  const { stdout } = await run('adb', ['-s', serial, 'shell', 'am', 'start', '-W', '-n', `${packageName}/${activity}`], { timeout: 60_000 });
  const state = /LaunchState: (\w+)/.exec(stdout)?.[1] ?? '?';
  const total = /TotalTime: (\d+)/.exec(stdout)?.[1] ?? '?';
  return `${state} ${total} ms`;
}

async function demo(options: DemoOptions): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the demo needs root (the simulated phone uses namespaces, cgroups and zram)');
  const durationMs = Number(options.duration) * 1000;
  const work = mkdtempSync(join(tmpdir(), 'lmk-demo-'));
  let phone: Phone | undefined;
  let started = false;
  let stopping = false;
  const watch: { child?: ReturnType<typeof lmkInBackground> } = {};
  const cleanup = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    watch.child?.kill('SIGINT');
    if (watch.child && watch.child.exitCode === null) await once(watch.child, 'exit');
    if (phone && started) await lmk(['stop', '-s', phone.serial]).catch(() => undefined);
    await phone?.stop();
    rmSync(work, { recursive: true, force: true });
  };
  const interrupted = new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
  });
  try {
    say(`starting a simulated rooted phone (${options.ramMib} MiB of RAM in a memory cgroup, zram swap)`);
    phone = await startPhone({ ramMib: Number(options.ramMib) });
    const serial = phone.serial;
    await lmk(['devices']);

    say('deploying lmk: a bundled Node runtime and the agent, pushed with adb');
    const config = join(work, 'config.json');
    // The phone's RAM is a memory cgroup (its /proc/meminfo is this machine's): cgroup scope.
    writeFileSync(config, JSON.stringify({ scope: { kind: 'cgroup', memcg: phone.memcgDir, cgroup2: phone.cgroup2Dir }, reaper: { cpus: options.reaperCpus } }, null, 2));
    await lmk(['deploy', '-s', serial, '--config', config]);

    say('starting the agent as root (su), under its supervisor');
    await lmk(['start', '-s', serial]);
    started = true;
    await lmk(['status', '-s', serial]);

    say(`opening apps for ${options.duration} s: lmk watch shows pressure, kills, reap times and freed memory`);
    watch.child = lmkInBackground(['watch', '-s', serial]);
    const deadline = Date.now() + durationMs;
    const apps = phone.launcher.apps.filter((app) => !app.home);
    for (let i = 0; Date.now() < deadline && !stopping; i++) {
      const app = apps[i % apps.length]!;
      const opened = await Promise.race([openApp(serial, app.packageName, app.activity), interrupted.then(() => 'interrupted')]);
      if (opened === 'interrupted') break;
      process.stdout.write(`   opened ${app.packageName}: ${opened}\n`);
      await Promise.race([new Promise((resolve) => setTimeout(resolve, 1500)), interrupted]);
    }
    watch.child.kill('SIGINT');
    await once(watch.child, 'exit');
    watch.child = undefined;

    say('what the agent killed (lmk logs)');
    await lmk(['logs', '-s', serial]);
  } finally {
    say('cleaning up: stopping the agent and removing the phone');
    await cleanup();
  }
}

const program = new Command('demo')
  .description('lmk on a simulated rooted phone, end to end, through the real adb server')
  .option('--duration <seconds>', 'how long to open apps and watch', '60')
  .option('--ram-mib <mib>', "the phone's RAM", '1536')
  .option('--reaper-cpus <cpus>', 'where the reaper threads run: little, big or all', 'little')
  .action((options: DemoOptions) => demo(options));

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
