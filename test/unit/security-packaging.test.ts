import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../electron-builder.config.ts';
import { afterPack, ARCH_ARM64, electronBinaryPath, fuseConfig, FUSE_SETTINGS } from '../../scripts/packaging/fuses.ts';
import { tempDir } from '../support/temp.ts';

const require = createRequire(import.meta.url);
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSE_COUNT = Object.keys(FuseV1Options).filter((k) => Number.isNaN(Number(k))).length;

/** A stand-in for the Electron binary: bytes around a fuse wire in Electron's default state. */
function fakeElectronBinary(path: string): void {
  const defaults = [
    FuseState.ENABLE,
    FuseState.DISABLE,
    FuseState.ENABLE,
    FuseState.ENABLE,
    FuseState.DISABLE,
    FuseState.DISABLE,
    FuseState.DISABLE,
    FuseState.ENABLE,
    FuseState.ENABLE,
  ];
  writeFileSync(
    path,
    Buffer.concat([
      Buffer.alloc(4096, 7),
      Buffer.from(SENTINEL),
      Buffer.from([1, defaults.length]),
      Buffer.from(defaults),
      Buffer.alloc(4096, 9),
    ]),
  );
}

describe('Electron fuses (packaging)', () => {
  it('sets every fuse explicitly: RunAsNode off, cookie encryption on, asar only with integrity, NODE_OPTIONS and inspect off', () => {
    expect(Object.keys(FUSE_SETTINGS)).toHaveLength(FUSE_COUNT);
    const c = fuseConfig('linux', 1);
    expect(c.strictlyRequireAllFuses).toBe(true);
    expect(c[FuseV1Options.RunAsNode]).toBe(false);
    expect(c[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(c[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(c[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(c[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(c[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(c[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
    expect(fuseConfig('darwin', ARCH_ARM64).resetAdHocDarwinSignature).toBe(true);
    expect(fuseConfig('darwin', 1).resetAdHocDarwinSignature).toBe(false);
    expect(require('builder-util').Arch.arm64).toBe(ARCH_ARM64);
  });

  it('the afterPack hook flips the fuses in the packed binary (a fake binary with a real fuse wire)', async () => {
    const appOutDir = tempDir();
    const context = {
      appOutDir,
      electronPlatformName: 'linux',
      arch: 1,
      packager: { appInfo: { productFilename: 'Foresight' }, executableName: 'foresight' },
    };
    const binary = electronBinaryPath(context);
    expect(binary).toBe(join(appOutDir, 'foresight'));
    fakeElectronBinary(binary);
    const before = readFileSync(binary);

    await afterPack(context);

    const wire = await getCurrentFuseWire(binary);
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE);
    // Only the wire changed.
    const after = readFileSync(binary);
    expect(after.length).toBe(before.length);
    expect(after.subarray(0, 4096 + SENTINEL.length + 2).equals(before.subarray(0, 4096 + SENTINEL.length + 2))).toBe(
      true,
    );
  });

  it('finds the binary where electron-builder puts it on each platform', () => {
    const packager = { appInfo: { productFilename: 'Foresight' }, executableName: 'foresight' };
    expect(electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'win32', arch: 1, packager })).toBe(
      join('/o', 'Foresight.exe'),
    );
    expect(electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'darwin', arch: 3, packager })).toBe(
      join('/o', 'Foresight.app'),
    );
  });
});

describe('electron-builder configuration', () => {
  it('builds AppImage + deb, dmg and nsis, unpacks better-sqlite3, and wires the fuses hook', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**/*.node');
    // The N-API prebuild serves Node and Electron alike; a rebuild would need Electron's headers.
    expect(config.npmRebuild).toBe(false);
    expect(typeof config.afterPack).toBe('function');
    // Only the built app ships: no sources, no source maps.
    expect(config.files).toEqual(expect.arrayContaining(['out/**/*', '!**/*.map']));
  });

  it("passes electron-builder's own schema validation when loaded the way `npm run dist` loads it", async () => {
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      getConfig(dir: string, file: string, extra: null): Promise<Record<string, unknown>>;
      validateConfiguration(config: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    const loaded = await getConfig(join(import.meta.dirname, '..', '..'), 'electron-builder.config.ts', null);
    await expect(validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined();
    expect(loaded.asarUnpack).toEqual(config.asarUnpack);
  });

  it('`npm run dist` builds first, then packages with this config', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.dist).toBe('electron-vite build && electron-builder --config electron-builder.config.ts');
  });
});
