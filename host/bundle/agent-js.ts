import { readFileSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import type { BuildFailure, Metafile } from 'esbuild';
import { CliError } from '../cli-error.js';

/** Name of the constant device/version.ts reads first; replaced with the version at bundle time. */
export const VERSION_CONSTANT = 'LMK_BUNDLED_VERSION';

/**
 * How agent code starts a worker: `new Worker(new URL('./name.js', import.meta.url))`. In the
 * bundle every entry is a flat file in `agent/`, so such a URL resolves next to the main bundle
 * exactly as it resolves next to the module in the compiled tree.
 */
const RELATIVE_SCRIPT_URL = /new\s+URL\(\s*(['"`])(\.{1,2}\/[^'"`]+?\.[cm]?js)\1\s*,\s*import\.meta\.url\s*\)/g;

/** esbuild bundles CommonJS dependencies into ESM output with calls to `require`; give it one. */
const REQUIRE_BANNER = "import { createRequire as __lmkCreateRequire } from 'node:module';\nconst require = __lmkCreateRequire(import.meta.url);";

export interface AgentJsOptions {
  /** The agent's entry module (compiled JS or TS). */
  readonly entry: string;
  /** Folder to write `main.js` and one file per worker entry into. */
  readonly outDir: string;
  readonly version: string;
  /** Packages left to Node's resolution (shipped in node_modules), e.g. koffi with its .node file. */
  readonly external: readonly string[];
  /** Folder paths are reported relative to. */
  readonly root: string;
}

export interface AgentJs {
  /** Files written into outDir (main.js first). */
  readonly files: readonly string[];
  /** Worker entries found, as `<out name> <- <source relative to root>`. */
  readonly workers: readonly string[];
}

/** Worker scripts the bundled sources refer to, keyed by the file name they will have in the bundle. */
function referencedScripts(metafile: Metafile, root: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const input of Object.keys(metafile.inputs)) {
    const path = resolve(root, input);
    if (path.split(sep).includes('node_modules')) continue;
    const source = readFileSync(path, 'utf8');
    for (const match of source.matchAll(RELATIVE_SCRIPT_URL)) {
      const url = match[2] ?? '';
      if (!url.startsWith('./') || url.slice(2).includes('/')) {
        throw new CliError(`${input} starts a script at '${url}'; the bundle is flat, use new URL('./<name>.js', import.meta.url)`);
      }
      const name = basename(url).replace(/\.[cm]?js$/, '');
      const script = resolve(dirname(path), url);
      const previous = found.get(name);
      if (previous !== undefined && previous !== script) {
        throw new CliError(`two worker scripts would be agent/${name}.js: ${relative(root, previous)} and ${relative(root, script)}`);
      }
      found.set(name, script);
    }
  }
  return found;
}

/**
 * esbuild, loaded when a bundle is built: the rest of lmk (all of it in Termux, where no bundle is
 * built) never needs it, so a missing esbuild costs only this command.
 */
async function loadEsbuild(): Promise<typeof import('esbuild')> {
  try {
    return await import('esbuild');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new CliError('esbuild is not installed; lmk bundle and lmk deploy need it to bundle the agent (npm install esbuild in the lmk package)');
  }
}

async function bundleOnce(options: AgentJsOptions, entries: ReadonlyMap<string, string>): Promise<Metafile> {
  const { build } = await loadEsbuild();
  try {
    const result = await build({
      entryPoints: [...entries].map(([out, path]) => ({ in: path, out })),
      outdir: options.outDir,
      absWorkingDir: options.root,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: [...options.external],
      banner: { js: REQUIRE_BANNER },
      define: { [VERSION_CONSTANT]: JSON.stringify(options.version) },
      legalComments: 'none',
      metafile: true,
      logLevel: 'silent',
      write: true,
    });
    return result.metafile;
  } catch (error) {
    const first = (error as Partial<BuildFailure>).errors?.[0];
    if (!first) throw error;
    const where = first.location ? `${first.location.file}:${first.location.line}: ` : '';
    throw new CliError(`esbuild: ${where}${first.text}`);
  }
}

/**
 * The agent as bundled ESM (esbuild): `main.js` plus one file per worker entry, found by following
 * `new URL('./x.js', import.meta.url)` in the bundled sources until no new one turns up.
 */
export async function bundleAgentJs(options: AgentJsOptions): Promise<AgentJs> {
  const entries = new Map<string, string>([['main', resolve(options.entry)]]);
  for (let round = 0; round < 8; round++) {
    const metafile = await bundleOnce(options, entries);
    let added = false;
    for (const [name, script] of referencedScripts(metafile, options.root)) {
      const existing = entries.get(name);
      if (existing === script) continue;
      if (existing !== undefined) throw new CliError(`worker script ${relative(options.root, script)} would overwrite agent/${name}.js`);
      entries.set(name, script);
      added = true;
    }
    if (!added) {
      return {
        files: [...entries.keys()].map((name) => `${name}.js`),
        workers: [...entries].filter(([name]) => name !== 'main').map(([name, script]) => `${name}.js <- ${relative(options.root, script)}`),
      };
    }
  }
  throw new CliError('worker scripts keep referring to new worker scripts; giving up after 8 rounds');
}
