/** What the phone says about itself in /system/build.prop (read by getprop) and its adb banner. */
export interface DeviceIdentity {
  readonly name: string;
  readonly model: string;
  readonly device: string;
}

export const IDENTITY: DeviceIdentity = { name: 'x5_global', model: 'Nimbus X5', device: 'x5' };

export function buildProps(options: { rooted: boolean; serial: string }): Record<string, string> {
  const buildType = options.rooted ? 'userdebug' : 'user';
  return {
    'ro.product.name': IDENTITY.name,
    'ro.product.model': IDENTITY.model,
    'ro.product.device': IDENTITY.device,
    'ro.product.brand': 'Nimbus',
    'ro.product.manufacturer': 'Nimbus',
    'ro.product.board': 'x5',
    'ro.product.cpu.abi': 'x86_64',
    'ro.product.cpu.abilist': 'x86_64',
    'ro.product.cpu.abilist64': 'x86_64',
    'ro.product.cpu.abilist32': '',
    'ro.build.version.release': '14',
    'ro.build.version.release_or_codename': '14',
    'ro.build.version.sdk': '34',
    'ro.build.version.security_patch': '2024-09-05',
    'ro.build.id': 'UP1A.231005.007',
    'ro.build.type': buildType,
    'ro.build.tags': options.rooted ? 'test-keys' : 'release-keys',
    'ro.build.fingerprint': `Nimbus/${IDENTITY.name}/${IDENTITY.device}:14/UP1A.231005.007/20240905:${buildType}/${options.rooted ? 'test-keys' : 'release-keys'}`,
    'ro.debuggable': options.rooted ? '1' : '0',
    'ro.secure': options.rooted ? '0' : '1',
    'ro.adb.secure': '0',
    'ro.serialno': options.serial,
    'ro.boot.serialno': options.serial,
    'ro.hardware': 'x5',
    'ro.config.low_ram': 'false',
    'ro.zygote': 'zygote64',
    'dalvik.vm.heapsize': '512m',
    'dalvik.vm.heapgrowthlimit': '256m',
    'persist.sys.timezone': 'Etc/UTC',
    'sys.boot_completed': '1',
    'init.svc.adbd': 'running',
  };
}

export function formatBuildProp(props: Record<string, string>): string {
  return `# begin build properties\n${Object.entries(props)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n# end build properties\n`;
}
