import { ActionError } from '../errors.js'

/** What to download for this runner and what to run once it is unpacked. */
export interface Target {
  /** The `{os}_{arch}` part of the release asset name. */
  readonly assetSuffix: string
  readonly archive: 'tar.gz' | 'zip'
  /** `.exe` on Windows, empty elsewhere. */
  readonly exeSuffix: string
  /** Set when the build runs under emulation (Windows on Arm). */
  readonly emulationWarning?: string
}

const AVAILABLE = 'Linux x64 and arm64, macOS (Intel and Apple silicon) and Windows x64'

/**
 * Maps the runner's OS and CPU to the release asset. The defaults are the
 * only place the real values enter; tests pass their own.
 */
export function resolveTarget(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch
): Target {
  if (platform === 'linux' && (arch === 'x64' || arch === 'arm64')) {
    const goArch = arch === 'x64' ? 'amd64' : 'arm64'
    return { assetSuffix: `linux_${goArch}`, archive: 'tar.gz', exeSuffix: '' }
  }
  if (platform === 'darwin' && (arch === 'x64' || arch === 'arm64')) {
    // One universal binary serves both Mac architectures.
    return { assetSuffix: 'darwin_all', archive: 'tar.gz', exeSuffix: '' }
  }
  if (platform === 'win32' && (arch === 'x64' || arch === 'arm64')) {
    return {
      assetSuffix: 'windows_amd64',
      archive: 'zip',
      exeSuffix: '.exe',
      emulationWarning:
        arch === 'arm64'
          ? 'No Windows arm64 build is published; installing the x64 build, which runs under emulation.'
          : undefined
    }
  }
  throw new ActionError(
    `This runner is ${platform}/${arch}, for which no CLI build is published. Builds exist for ${AVAILABLE}.`
  )
}

/** The release asset's file name, e.g. `upsun_5.11.1_linux_amd64.tar.gz`. */
export function assetName(binary: string, version: string, target: Target): string {
  return `${binary}_${version}_${target.assetSuffix}.${target.archive}`
}
