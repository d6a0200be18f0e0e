import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { CliError } from '../../cli-error.js';
import { shellWords } from '../../adb/shell-quote.js';
import { buildBundle } from '../../bundle/build.js';
import { MANIFEST_FILE } from '../../bundle/manifest.js';
import type { Progress } from '../../bundle/progress.js';
import { selectRuntime, type RuntimeSelection } from '../../runtime/select.js';
import { describeRuntime, parseRuntime, type RuntimeSpec } from '../../runtime/spec.js';
import type { Device } from '../device.js';
import { deviceConfig } from './config-file.js';
import { checkDeviceNode } from './device-node.js';
import { deployPayload, type PayloadFile } from './payload.js';
import { choosePlacement, type Placement } from './placement.js';
import { planDeploy } from './plan.js';
import { PushProgress } from './push-progress.js';
import { CONFIG_FILE, readRemoteState } from './remote-state.js';

export interface DeployOptions {
  readonly installDir: string;
  readonly stateDir: string;
  /** A config file on this machine, deployed as <installDir>/config.json. */
  readonly configFile?: string;
  /** bundled (default), termux, or the path of a node on the device. */
  readonly runtime?: string;
  /** Long steps (bundle build), one line each. */
  readonly progress: Progress;
  /** Where the push progress bar goes (default stderr). */
  readonly progressStream?: NodeJS.WriteStream;
}

export interface DeploySummary {
  readonly serial: string;
  readonly abi: string;
  readonly runtime: string;
  /** koffi's prebuilt package the agent's node loads, e.g. @koromix/koffi-android-arm64. */
  readonly koffi: string;
  readonly version: string;
  readonly installDir: string;
  readonly placement: 'direct' | 'staged';
  /** Files of the deploy (manifest and config not counted). */
  readonly files: number;
  /** Everything pushed, in order: bundle files, then config.json and manifest.json when they changed. */
  readonly pushed: readonly string[];
  readonly skipped: number;
  readonly deleted: readonly string[];
  readonly bytesPushed: number;
  readonly config: 'pushed' | 'unchanged' | 'none';
  readonly buildSeconds: number;
  readonly seconds: number;
}

const seconds = (since: number): number => Math.round((Date.now() - since) / 100) / 10;

/** The device's ABI, if lmk has a build of the runtime for it. */
async function deviceAbi(device: Device, spec: RuntimeSpec): Promise<string> {
  const abi = (await device.props()).get('ro.product.cpu.abi');
  if (!abi) throw new CliError(`${device.serial} does not say its ABI (ro.product.cpu.abi is empty)`);
  try {
    return selectRuntime({ platform: 'android', abi, runtime: spec }).abi.abi;
  } catch (error) {
    if (error instanceof CliError) throw new CliError(`${device.serial} is ${abi}: ${error.message.replace(/^ABI /, '')}`);
    throw error;
  }
}

/** How the agent will run there: the bundled Node, or a node already on the device (checked and asked). */
async function deviceRuntime(device: Device, spec: RuntimeSpec, abi: string, progress: Progress): Promise<RuntimeSelection> {
  if (spec === 'bundled') return selectRuntime({ platform: 'android', abi, runtime: spec });
  return checkDeviceNode(device, spec, abi, progress);
}

/** What the first build of this runtime downloads. */
function firstBuildNote(selection: RuntimeSelection): string {
  return selection.shipsNode ? 'downloads Node and glibc: about 90 MB, 20 s or more' : `downloads koffi's ${selection.koffi.dir} build: about 1 MB`;
}

async function pushAll(placement: Placement, files: readonly PayloadFile[], stream: NodeJS.WriteStream | undefined): Promise<number> {
  const bar = new PushProgress(
    files.reduce((sum, file) => sum + file.size, 0),
    files.length,
    stream,
  );
  let bytes = 0;
  try {
    for (const [index, file] of files.entries()) {
      bar.startFile(file.path, file.size, index);
      await placement.put(file.localPath, file.path, file.executable ? 0o755 : 0o644, (sent) => bar.progress(sent));
      bar.endFile(file.size);
      bytes += file.size;
    }
  } finally {
    bar.finish();
  }
  return bytes;
}

async function mustRun(placement: Placement, command: string, what: string, serial: string): Promise<void> {
  const run = await placement.run(command);
  if (run.exitCode !== 0) throw new CliError(`${what} failed on ${serial}: ${run.output.trim().split('\n').at(-1) ?? `exit ${run.exitCode}`}`);
}

/** Long lists of paths go to the shell in slices, well below any command-line limit. */
function slices<T>(items: readonly T[], size = 40): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/** Folders of deleted files, deepest first, to remove when nothing is left in them. */
function emptiedFolders(installDir: string, deleted: readonly string[]): string[] {
  const folders = new Set<string>();
  for (const path of deleted) {
    for (let dir = posix.dirname(path); dir !== '.'; dir = posix.dirname(dir)) folders.add(dir);
  }
  return [...folders].sort((a, b) => b.split('/').length - a.split('/').length || a.localeCompare(b)).map((dir) => `${installDir}/${dir}`);
}

/**
 * Deploys lmk to a device: builds the bundle for its ABI, pushes only what differs from the
 * device's manifest (with a progress bar), makes executables executable, pushes the config if it
 * changed, then the manifest last (an interrupted deploy re-pushes what it did not finish), and
 * deletes what the old manifest listed and the new one does not.
 */
export async function deployToDevice(device: Device, options: DeployOptions): Promise<DeploySummary> {
  const started = Date.now();
  const { installDir, progress } = options;
  const spec = parseRuntime(options.runtime);
  const config = options.configFile === undefined ? undefined : deviceConfig(options.configFile, options.stateDir);
  const selection = await deviceRuntime(device, spec, await deviceAbi(device, spec), progress);
  const abi = selection.abi.abi;
  // A path's platform is what its node said (checkDeviceNode), so the build matches it.
  const runtime: RuntimeSpec = typeof spec === 'string' ? spec : { path: spec.path, platform: selection.nodePlatform };

  const workDir = mkdtempSync(join(tmpdir(), 'lmk-deploy-'));
  try {
    progress(`building the ${abi} bundle for the ${describeRuntime(spec)} runtime, with koffi's ${selection.koffi.dir} build (the first build ${firstBuildNote(selection)})`);
    const buildStarted = Date.now();
    const built = await buildBundle({ abi, runtime, installDir, outDir: join(workDir, 'bundle'), progress });
    const buildSeconds = seconds(buildStarted);
    progress(`bundle built in ${buildSeconds} s`);
    const payload = deployPayload(built.outDir, built.manifest);
    const manifestBytes = Buffer.from(`${JSON.stringify(payload.manifest, null, 2)}\n`);
    writeFileSync(join(workDir, MANIFEST_FILE), manifestBytes);
    if (config) writeFileSync(join(workDir, CONFIG_FILE), config);

    const remote = await readRemoteState(device, installDir, options.stateDir);
    const plan = planDeploy(payload.files, payload.manifest, remote);
    const configChanged = config !== undefined && !(remote.config?.equals(config) ?? false);
    const manifestChanged = !(remote.manifestBytes?.equals(manifestBytes) ?? false);
    const placed = [...plan.push.map((file) => file.path), ...(configChanged ? [CONFIG_FILE] : []), ...(manifestChanged ? [MANIFEST_FILE] : [])];
    const placement = await choosePlacement(device, installDir, placed);
    try {
      let bytes = await pushAll(placement, plan.push, options.progressStream);
      if (plan.push.length > 0) {
        const executables = payload.files.filter((file) => file.executable).map((file) => `${installDir}/${file.path}`);
        for (const slice of slices(executables)) await mustRun(placement, `chmod 755 ${shellWords(slice)}`, 'chmod', device.serial);
      }
      if (configChanged && config) {
        await placement.put(join(workDir, CONFIG_FILE), CONFIG_FILE, 0o644);
        bytes += config.length;
      }
      if (manifestChanged) {
        await placement.put(join(workDir, MANIFEST_FILE), MANIFEST_FILE, 0o644);
        bytes += manifestBytes.length;
      }
      for (const slice of slices(plan.stale)) await mustRun(placement, `rm -f ${shellWords(slice.map((path) => `${installDir}/${path}`))}`, 'removing old files', device.serial);
      // adbd gives group and other the owner's bits: data files go back to 0644.
      const dataFiles = [...plan.push.filter((file) => !file.executable).map((file) => file.path), ...(configChanged ? [CONFIG_FILE] : []), ...(manifestChanged ? [MANIFEST_FILE] : [])];
      for (const slice of slices(dataFiles)) await mustRun(placement, `chmod 644 ${shellWords(slice.map((path) => `${installDir}/${path}`))}`, 'chmod', device.serial);
      const emptied = emptiedFolders(installDir, plan.stale);
      if (emptied.length > 0) await placement.run(`for d in ${shellWords(emptied)}; do rmdir "$d" 2>/dev/null; done; exit 0`);
      return {
        serial: device.serial,
        abi,
        runtime: describeRuntime(spec),
        koffi: selection.koffi.package,
        version: payload.manifest.version,
        installDir,
        placement: placement.kind,
        files: payload.files.length,
        pushed: placed,
        skipped: plan.skip.length,
        deleted: plan.stale,
        bytesPushed: bytes,
        config: config === undefined ? 'none' : configChanged ? 'pushed' : 'unchanged',
        buildSeconds,
        seconds: seconds(started),
      };
    } finally {
      await placement.close();
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
