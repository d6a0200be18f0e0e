import { CliError } from '../cli-error.js';
import { execOk } from './exec.js';

/**
 * Makes node start through the bundled glibc without a wrapper, so that process.execPath is node
 * itself (koffi reads PT_INTERP of it to pick its glibc build; child processes re-exec it):
 * PT_INTERP becomes the ABSOLUTE path of the bundled loader on the device (the kernel accepts no
 * `$ORIGIN` there), and the library search path `$ORIGIN/lib`, then `<installDir>/lib` for when
 * /proc is missing and glibc cannot resolve `$ORIGIN`. DT_RPATH (not RUNPATH) so that it also
 * applies to libraries loaded by libraries and to dlopen() from koffi.
 * patchelf moves the program headers when the new interpreter path is longer than the old one.
 */
export async function patchInterpreter(node: string, installDir: string, loader: string): Promise<void> {
  const interpreter = `${installDir}/lib/${loader}`;
  const rpath = `$ORIGIN/lib:${installDir}/lib`;
  await execOk('patchelf', ['--set-interpreter', interpreter, '--force-rpath', '--set-rpath', rpath, node]);
  const printed = (await execOk('patchelf', ['--print-interpreter', node])).stdout.trim();
  if (printed !== interpreter) throw new CliError(`patchelf left the interpreter of node at ${printed}, not ${interpreter}`);
}

/** DT_NEEDED entries of an ELF file. */
export async function neededLibraries(path: string): Promise<string[]> {
  const printed = (await execOk('patchelf', ['--print-needed', path])).stdout;
  return printed.split('\n').map((line) => line.trim()).filter((line) => line !== '');
}
