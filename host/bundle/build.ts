import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from '../cli-error.js';
import { bundleAgentJs } from './agent-js.js';
import { DEFAULT_CACHE_DIR } from './cache.js';
import { neededLibraries, patchInterpreter } from './elf-patch.js';
import { glibcRuntime } from './glibc.js';
import { copyKoffi, copyKoffiPlatform, installedKoffi, koffiPlatformPackage } from './koffi.js';
import { checkInstallDir, DEFAULT_INSTALL_DIR } from './launcher.js';
import { BundleManifestSchema, describeFiles, MANIFEST_FILE, type BundleManifest } from './manifest.js';
import { NODE_VERSION, strippedNode } from './node-runtime.js';
import type { Progress } from './progress.js';
import { koffiBinary, type NodePlatform } from '../runtime/koffi-build.js';
import { agentLauncher } from '../runtime/launcher.js';
import { selectRuntime, type RuntimeSelection } from '../runtime/select.js';
import { describeRuntime, type RuntimeSpec } from '../runtime/spec.js';

/** The project this lmk runs from (dist/host/bundle/ -> the project's root). */
const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The compiled agent entry next to this build of the host CLI. */
const AGENT_ENTRY = fileURLToPath(new URL('../../device/main.js', import.meta.url));

export const LAUNCHER = 'lmk-agent';

export interface BundleOptions {
  readonly abi: string;
  /** Which node runs the agent (default bundled: lmk ships it). */
  readonly runtime?: RuntimeSpec;
  /** The system the bundle is for (default android: a phone). */
  readonly platform?: NodePlatform;
  /** Default `<cache>/out/<abi>` (`<abi>-termux`, `<abi>-path` for a node already there). */
  readonly outDir?: string;
  /** Absolute path on the device, default /data/local/tmp/lmk. */
  readonly installDir?: string;
  /** Default the project's `.cache/bundle`. */
  readonly cacheDir?: string;
  readonly progress: Progress;
}

export interface BuiltBundle {
  readonly outDir: string;
  readonly manifest: BundleManifest;
}

function projectVersion(): string {
  const parsed: unknown = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));
  if (typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string') return parsed.version;
  throw new CliError(`${PROJECT_ROOT}package.json has no version`);
}

/** What the output folder holds now; one that holds something other than a bundle is refused. */
function outDirEntries(outDir: string): string[] {
  if (!existsSync(outDir)) return [];
  if (!statSync(outDir).isDirectory()) throw new CliError(`--out ${outDir} is not a folder`);
  const entries = readdirSync(outDir);
  if (entries.length > 0 && !entries.includes(MANIFEST_FILE)) {
    throw new CliError(`refusing to overwrite ${outDir}: it is not empty and holds no bundle (no ${MANIFEST_FILE})`);
  }
  return entries;
}

/** Empties the output folder (checked again: it may have changed while the parts were fetched). */
function prepareOutDir(outDir: string): void {
  for (const entry of outDirEntries(outDir)) rmSync(join(outDir, entry), { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
}

/** Every library node, the libraries and koffi need must be in lib/: nothing may come from the device. */
async function checkClosure(outDir: string, selection: RuntimeSelection): Promise<void> {
  const shipped = new Set(readdirSync(join(outDir, 'lib')));
  const elves = ['node', ...[...shipped].map((name) => `lib/${name}`), `node_modules/${selection.koffi.package}/${koffiBinary(selection.koffi)}`];
  for (const elf of elves) {
    const missing = (await neededLibraries(join(outDir, elf))).filter((name) => !shipped.has(name));
    if (missing.length > 0) throw new CliError(`bundle incomplete: ${elf} needs ${missing.join(', ')}, which lib/ does not have`);
  }
}

/** The parts only the bundled runtime has: node (stripped, PT_INTERP patched) and glibc in lib/. */
interface ShippedNode {
  readonly node: string;
  readonly glibcDir: string;
  readonly glibcPackages: string;
}

/**
 * Builds the bundle for one ABI and runtime (host/runtime/select.ts decides what goes in):
 * - bundled: node (official build, stripped, PT_INTERP patched to the install dir), glibc from
 *   Debian, koffi's linux build, the bundle's own `lmk-agent` launcher;
 * - a node already on the device (Termux's, or a path): no node and no glibc; koffi's build for
 *   that node's platform (android for Termux), and a launcher that runs that node.
 * Both get koffi trimmed, the agent bundled with esbuild, and manifest.json. Downloads and
 * extracted parts are cached; a missing or corrupt cache entry is rebuilt.
 */
export async function buildBundle(options: BundleOptions): Promise<BuiltBundle> {
  const installDir = checkInstallDir(options.installDir ?? DEFAULT_INSTALL_DIR);
  const runtime = options.runtime ?? 'bundled';
  const selection = selectRuntime({ platform: options.platform ?? 'android', abi: options.abi, runtime, installDir });
  const target = selection.abi;
  const cacheDir = resolve(options.cacheDir ?? DEFAULT_CACHE_DIR);
  const outDir = resolve(options.outDir ?? join(cacheDir, 'out', selection.shipsNode ? target.abi : `${target.abi}-${selection.kind}`));
  const { progress } = options;
  if (!existsSync(AGENT_ENTRY)) throw new CliError(`no compiled agent at ${AGENT_ENTRY}; run npm run build first`);
  outDirEntries(outDir);
  const version = projectVersion();
  const koffi = installedKoffi();

  mkdirSync(cacheDir, { recursive: true });
  let shipped: ShippedNode | undefined;
  if (selection.shipsNode) {
    const node = await strippedNode(target, cacheDir, progress);
    const glibc = await glibcRuntime(target, cacheDir, progress);
    shipped = { node, glibcDir: glibc.dir, glibcPackages: glibc.packages };
  }
  const koffiPlatform = await koffiPlatformPackage(selection.koffi, koffi.version, cacheDir, progress);

  prepareOutDir(outDir);
  if (shipped) {
    cpSync(join(shipped.glibcDir, 'lib'), join(outDir, 'lib'), { recursive: true });
    copyFileSync(shipped.node, join(outDir, 'node'));
    chmodSync(join(outDir, 'node'), 0o755);
    await patchInterpreter(join(outDir, 'node'), installDir, target.loader);
  }
  const nodeModules = join(outDir, 'node_modules');
  copyKoffi(koffi, nodeModules);
  copyKoffiPlatform(selection.koffi, koffiPlatform, nodeModules);
  if (shipped) await checkClosure(outDir, selection);

  const agent = await bundleAgentJs({ entry: AGENT_ENTRY, outDir: join(outDir, 'agent'), version, external: ['koffi'], root: PROJECT_ROOT });
  if (agent.workers.length > 0) progress(`worker entries: ${agent.workers.join(', ')}`);
  // "type": "module" makes agent/*.js ES modules; the version is there for anyone who looks.
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify({ name: 'lmk-agent', version, private: true, type: 'module' }, null, 2)}\n`);
  writeFileSync(join(outDir, LAUNCHER), agentLauncher(selection, installDir, version), { mode: 0o755 });

  const files = await describeFiles(outDir);
  const manifest = BundleManifestSchema.parse({
    schema: 1,
    name: 'lmk-agent',
    version,
    abi: target.abi,
    nodeVersion: shipped ? NODE_VERSION : `device node (${describeRuntime(runtime)})`,
    installDir,
    launcher: LAUNCHER,
    sources: { glibc: shipped ? shipped.glibcPackages : 'none (device node)', koffi: `${koffi.version} ${selection.koffi.package}/${selection.koffi.dir}` },
    totalBytes: files.reduce((sum, file) => sum + file.size, 0),
    files,
  });
  writeFileSync(join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return { outDir, manifest };
}
