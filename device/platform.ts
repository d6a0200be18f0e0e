import { existsSync } from 'node:fs';

/** An Android system is visible from here (its build.prop or getprop). */
export function onAndroid(systemRoot = '/'): boolean {
  return existsSync(`${systemRoot}system/build.prop`) || existsSync(`${systemRoot}system/bin/getprop`);
}
