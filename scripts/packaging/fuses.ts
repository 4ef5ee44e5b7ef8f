/**
 * Electron fuses for the packaged app, flipped by electron-builder's afterPack hook (before
 * signing). Every fuse is set explicitly (strictlyRequireAllFuses), so an Electron upgrade that
 * adds a fuse fails the build until someone decides its value.
 */
import { flipFuses, FuseV1Options, FuseVersion, type FuseConfig } from '@electron/fuses';
import { join } from 'node:path';

export const FUSE_SETTINGS = {
  /** ELECTRON_RUN_AS_NODE would turn the signed app binary into a plain Node.js runtime. */
  [FuseV1Options.RunAsNode]: false,
  /** Chromium's cookie store encrypted with the OS key, like Chrome. */
  [FuseV1Options.EnableCookieEncryption]: true,
  /** NODE_OPTIONS / NODE_EXTRA_CA_CERTS could inject code or certificates into main. */
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  /** --inspect / --inspect-brk (and SIGUSR1) would open a debugger into main. */
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  /** app.asar is checked against the hash embedded at build time (macOS, Windows). */
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  /** Only app.asar is loaded: no app/ folder or default_app to swap in. */
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  /** No custom browser V8 snapshot is used. */
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  /** Pages come from foresight://, never file://, so file: needs no extra privileges. */
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  /** Electron's default; WebAssembly trap handlers are a performance feature with no security cost. */
  [FuseV1Options.WasmTrapHandlers]: true,
} as const satisfies Record<FuseV1Options, boolean>;

/** electron-builder's Arch.arm64 (builder-util), without importing the builder at run time. */
export const ARCH_ARM64 = 3;

export function fuseConfig(platform: string, arch: number): FuseConfig {
  return {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    // Flipping fuses invalidates the ad-hoc signature an unsigned arm64 macOS build needs to launch.
    resetAdHocDarwinSignature: platform === 'darwin' && arch === ARCH_ARM64,
    ...FUSE_SETTINGS,
  };
}

export interface PackContext {
  appOutDir: string;
  electronPlatformName: string;
  arch: number;
  packager: { appInfo: { productFilename: string }; executableName?: string };
}

/** The file that holds the fuse wire, as electron-builder lays out each platform. */
export function electronBinaryPath(context: PackContext): string {
  const { appOutDir, electronPlatformName, packager } = context;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas')
    return join(appOutDir, `${packager.appInfo.productFilename}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  return join(appOutDir, packager.executableName ?? packager.appInfo.productFilename);
}

export async function afterPack(context: PackContext): Promise<void> {
  await flipFuses(electronBinaryPath(context), fuseConfig(context.electronPlatformName, context.arch));
}
