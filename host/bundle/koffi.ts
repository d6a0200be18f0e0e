import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from '../cli-error.js';
import { koffiBinary, type KoffiBuild } from '../runtime/koffi-build.js';
import { stampedDir } from './cache.js';
import { elfLibc, elfMachine } from './elf.js';
import { extractFromTarball, npmPack } from './npm-pack.js';
import type { Progress } from './progress.js';

/**
 * The files of koffi's package the agent loads: the ESM and CJS loaders and the table that
 * requires `@koromix/koffi-<os>-<arch>`. Its C sources, vendored headers and docs stay behind.
 */
const KOFFI_FILES = [
  'package.json',
  'LICENSE.txt',
  'index.js',
  'index.cjs',
  'indirect.js',
  'indirect.cjs',
  'src/koffi/index.js',
  'src/koffi/index.cjs',
  'src/koffi/indirect.js',
  'src/koffi/indirect.cjs',
  'src/koffi/src/static.js',
  'src/koffi/src/static.cjs',
];

export interface InstalledKoffi {
  readonly dir: string;
  readonly version: string;
}

/** The koffi this lmk is installed with: the bundle ships the same version. */
export function installedKoffi(): InstalledKoffi {
  const dir = dirname(fileURLToPath(import.meta.resolve('koffi')));
  const parsed: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || !('version' in parsed) || typeof parsed.version !== 'string') {
    throw new CliError(`${dir}/package.json has no version`);
  }
  return { dir, version: parsed.version };
}

/** Copies the trimmed koffi package into `<bundle>/node_modules/koffi`. */
export function copyKoffi(koffi: InstalledKoffi, nodeModules: string): void {
  for (const file of KOFFI_FILES) {
    const source = join(koffi.dir, file);
    if (!existsSync(source)) throw new CliError(`koffi ${koffi.version} has an unexpected layout: no ${file}`);
    mkdirSync(dirname(join(nodeModules, 'koffi', file)), { recursive: true });
    cpSync(source, join(nodeModules, 'koffi', file));
  }
}

/**
 * One of koffi's prebuilt packages (`npm pack @koromix/koffi-<platform>-<arch>@<koffi's version>`),
 * with its one binary: the linux package's glibc build (the bundled node has glibc's loader as
 * PT_INTERP, which is what koffi's loader checks), or the android package's bionic build (for
 * Termux's node). The binary is checked for its CPU and C library. Cached as
 * `<cache>/koffi/<package>-<version>/`.
 */
export async function koffiPlatformPackage(build: KoffiBuild, version: string, cacheDir: string, progress: Progress): Promise<string> {
  const name = build.package;
  const dir = join(cacheDir, 'koffi', `${name.replace(/^@/, '').replace('/', '-')}-${version}`);
  await stampedDir(dir, `${name}@${version}`, `${name}@${version}`, progress, async (into) => {
    const tgz = await npmPack(cacheDir, name, version, progress);
    const binary = koffiBinary(build);
    await extractFromTarball(tgz, into, ['package.json', 'index.js', binary]);
    const machine = elfMachine(join(into, 'package', binary));
    if (machine !== build.elfMachine) throw new CliError(`${name}@${version}: ${binary} is ELF machine ${machine}, not ${build.elfMachine} (${build.dir})`);
    const libc = elfLibc(join(into, 'package', binary));
    if (libc !== build.libc) throw new CliError(`${name}@${version}: ${binary} is linked against ${libc} libc, not ${build.libc}`);
  });
  return join(dir, 'package');
}

/** Copies the platform package to where koffi's loader requires it from. */
export function copyKoffiPlatform(build: KoffiBuild, packageDir: string, nodeModules: string): void {
  cpSync(packageDir, join(nodeModules, ...build.package.split('/')), { recursive: true });
}
