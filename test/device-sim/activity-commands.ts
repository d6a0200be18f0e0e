import type { Launcher } from './launcher.js';

export interface CommandResult {
  readonly status: number;
  readonly output: string;
}

/** Options of "am start" that take one value, and two (extras). */
const ONE_VALUE = new Set(['-a', '-c', '-d', '-t', '-f', '-e', '--user', '--display', '--windowingMode', '--activityType', '--attach-agent', '--start-profiler', '--sampling', '-P', '-R']);
const TWO_VALUES = new Set(['--es', '--ei', '--el', '--ef', '--ez', '--eu', '--ecn', '--eia', '--ela', '--efa', '--esa', '--esn']);

function ok(output = ''): CommandResult {
  return { status: 0, output };
}

/** "pkg/.Cls" or "pkg/pkg.Cls" names the launcher activity of an installed package. */
function resolveComponent(launcher: Launcher, component: string): { packageName: string; short: string } | { error: string } {
  const slash = component.indexOf('/');
  if (slash <= 0) return { error: `Error: Activity not started, unable to resolve Intent { cmp=${component} }` };
  const packageName = component.slice(0, slash);
  const cls = component.slice(slash + 1);
  const app = launcher.find(packageName);
  const full = cls.startsWith('.') ? `${packageName}${cls}` : cls;
  if (!app || full !== `${packageName}${app.activity}`) return { error: `Error type 3\nError: Activity class {${packageName}/${full}} does not exist.` };
  return { packageName, short: `${packageName}/${app.activity}` };
}

async function amStart(launcher: Launcher, args: readonly string[]): Promise<CommandResult> {
  let wait = false;
  let stopFirst = false;
  let component: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-W') wait = true;
    else if (arg === '-S') stopFirst = true;
    else if (arg === '-n') component = args[++i];
    else if (ONE_VALUE.has(arg)) i += 1;
    else if (TWO_VALUES.has(arg)) i += 2;
    else if (!arg.startsWith('-')) component = arg;
  }
  if (component === undefined) return { status: 1, output: 'Error: Intent does not match any activities\n' };
  let output = `Starting: Intent { cmp=${component} }\n`;
  const resolved = resolveComponent(launcher, component);
  if ('error' in resolved) return { status: 1, output: `${output}${resolved.error}\n` };
  if (stopFirst && (await launcher.forceStop(resolved.packageName))) output = `Stopping: ${resolved.packageName}\n${output}`;
  const requested = Date.now();
  let result;
  try {
    result = await launcher.open(resolved.packageName);
  } catch (error) {
    return { status: 1, output: `${output}Error: Activity not started, ${error instanceof Error ? error.message : String(error)}\n` };
  }
  if (!wait) return ok(output);
  const waitTime = Math.max(result.totalTimeMs, Date.now() - requested);
  return ok(
    `${output}Status: ok\nLaunchState: ${result.state}\nActivity: ${resolved.short}\nTotalTime: ${result.totalTimeMs}\nWaitTime: ${waitTime}\nComplete\n`,
  );
}

async function am(launcher: Launcher, args: readonly string[]): Promise<CommandResult> {
  const [command, ...rest] = args;
  switch (command) {
    case 'start':
    case 'start-activity':
      return amStart(launcher, rest);
    case 'force-stop':
    case 'stop-app':
      for (const name of rest.filter((arg) => !arg.startsWith('-'))) await launcher.forceStop(name);
      return ok();
    case 'kill':
      for (const name of rest.filter((arg) => !arg.startsWith('-'))) await launcher.killBackground(name);
      return ok();
    case 'get-current-user':
      return ok('0\n');
    case undefined:
    case 'help':
      return ok('Activity manager (activity) commands:\n  start [-W] [-S] -n <COMPONENT>\n  force-stop <PACKAGE>\n  kill <PACKAGE>\n  get-current-user\n');
    default:
      return { status: 255, output: `Unknown command: ${command}\n` };
  }
}

function pm(launcher: Launcher, args: readonly string[]): CommandResult {
  const [command, what, ...flags] = args;
  if (command === 'list' && what === 'packages') {
    const system = flags.includes('-s');
    const thirdParty = flags.includes('-3');
    const names = launcher.apps
      .filter((app) => (system ? app.home === true : thirdParty ? app.home !== true : true))
      .map((app) => `package:${app.packageName}\n`)
      .sort();
    return ok(names.join(''));
  }
  if (command === 'path' && what !== undefined && launcher.find(what)) return ok(`package:/data/app/${what}-1/base.apk\n`);
  if (command === 'path') return { status: 1, output: '' };
  return { status: 255, output: `Unknown command: ${command ?? ''}\n` };
}

/** Runs one am/pm invocation: argv[0] is "am" or "pm". */
export async function runActivityCommand(launcher: Launcher, argv: readonly string[]): Promise<CommandResult> {
  const [name, ...args] = argv;
  if (name === 'am') return am(launcher, args);
  if (name === 'pm') return pm(launcher, args);
  return { status: 20, output: `can't find service: ${name ?? ''}\n` };
}
