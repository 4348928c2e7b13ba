import { describe, expect, it } from '@jest/globals'
import { assetName, resolveTarget } from '../../src/install/target.js'

describe('resolveTarget', () => {
  it.each([
    ['linux', 'x64', 'upsun_5.11.1_linux_amd64.tar.gz'],
    ['linux', 'arm64', 'upsun_5.11.1_linux_arm64.tar.gz'],
    ['darwin', 'x64', 'upsun_5.11.1_darwin_all.tar.gz'],
    ['darwin', 'arm64', 'upsun_5.11.1_darwin_all.tar.gz'],
    ['win32', 'x64', 'upsun_5.11.1_windows_amd64.zip'],
    ['win32', 'arm64', 'upsun_5.11.1_windows_amd64.zip']
  ] as const)('%s/%s → %s', (platform, arch, asset) => {
    expect(assetName('upsun', '5.11.1', resolveTarget(platform, arch))).toBe(asset)
  })

  it('warns that Windows on Arm runs the x64 build under emulation', () => {
    expect(resolveTarget('win32', 'arm64').emulationWarning).toMatch(/emulation/)
    expect(resolveTarget('win32', 'x64').emulationWarning).toBeUndefined()
    expect(resolveTarget('win32', 'x64').exeSuffix).toBe('.exe')
  })

  it.each([
    ['linux', 'ia32'],
    ['linux', 'arm'],
    ['freebsd', 'x64'],
    ['aix', 'ppc64']
  ] as const)('fails for %s/%s, naming it and what exists', (platform, arch) => {
    expect(() => resolveTarget(platform, arch)).toThrow(
      new RegExp(`${platform}/${arch}.*Builds exist for Linux x64 and arm64, macOS`)
    )
  })
})
