/** An installed app of the simulated phone. */
export interface AppSpec {
  readonly packageName: string;
  /** The launcher activity, relative to the package (".Main"). */
  readonly activity: string;
  readonly uid: number;
  /** Anonymous memory the app allocates and touches when it starts. */
  readonly mib: number;
  /** Adj while not in front, if it outranks the LRU (a playing music app is perceptible, 200). */
  readonly backgroundAdj?: number;
  /** The home screen: adj 600 while not in front, started at boot. */
  readonly home?: boolean;
}

const CATALOG: ReadonlyArray<readonly [name: string, mib: number, backgroundAdj?: number]> = [
  ['com.example.mail', 220],
  ['com.example.maps', 380],
  ['com.example.camera', 300],
  ['com.example.music', 160, 200],
  ['com.example.news', 180],
  ['com.example.chat', 240],
  ['com.example.photos', 320],
  ['com.example.video', 400],
  ['com.example.browser', 350],
  ['com.example.game', 400],
  ['com.example.shop', 200],
  ['com.example.notes', 150],
];

export const HOME_PACKAGE = 'com.android.launcher3';
const FIRST_APP_UID = 10000;

export interface CatalogOptions {
  /** How many example apps are installed (beyond the catalog they are com.example.appN). */
  readonly count: number;
  /** Overrides every example app's memory size. */
  readonly appMib?: number;
  /** Install and start the home screen app. */
  readonly home: boolean;
}

export function appCatalog(options: CatalogOptions): AppSpec[] {
  const apps: AppSpec[] = [];
  if (options.home) apps.push({ packageName: HOME_PACKAGE, activity: '.Launcher', uid: FIRST_APP_UID, mib: options.appMib === undefined ? 80 : Math.min(80, options.appMib), home: true });
  for (let i = 0; i < options.count; i++) {
    const [packageName, mib, backgroundAdj] = CATALOG[i] ?? [`com.example.app${i + 1}`, 200];
    apps.push({
      packageName,
      activity: '.Main',
      uid: FIRST_APP_UID + 1 + i,
      mib: options.appMib ?? mib,
      ...(backgroundAdj === undefined ? {} : { backgroundAdj }),
    });
  }
  return apps;
}
