/**
 * Parses /proc/<pid>/cmdline: NUL-separated argv. Empty for kernel threads and zombies.
 *
 * Trailing NULs are dropped, not turned into empty arguments: Android's zygote overwrites its
 * whole argv block with zeros and writes the package name at the start (AndroidRuntime::setArgv0),
 * so an app's cmdline is e.g. "com.example.mail" followed by dozens of NULs. The price is that a
 * genuinely empty last argument is lost, which no caller here needs.
 *
 * Any text is a valid cmdline (setproctitle-style processes even drop the NULs), so this never
 * throws. Decode the bytes as UTF-8 before calling.
 */
export function parseCmdline(text: string): readonly string[] {
  const trimmed = text.replace(/\0+$/, '');
  return trimmed === '' ? [] : trimmed.split('\0');
}

/**
 * What Android calls the process name: argv[0] as is (app processes carry their package name
 * there, e.g. "com.google.android.gms.persistent", while comm keeps only its last 15 bytes),
 * or comm when there is no argv[0] (kernel threads, zombies).
 */
export function processName(argv: readonly string[], comm: string): string {
  const first = argv[0];
  return first === undefined || first === '' ? comm : first;
}
