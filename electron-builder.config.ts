/**
 * Packaging (`npm run dist`): Linux AppImage + deb, macOS dmg, Windows nsis. Only the built app
 * (out/) and the production dependencies go into app.asar; better-sqlite3's native addon is
 * unpacked beside it (a .node file cannot be loaded from inside an archive), and the Electron
 * fuses are set after packing (scripts/packaging/fuses.ts). Not run in CI.
 */
import type { Configuration } from 'electron-builder';
import { afterPack } from './scripts/packaging/fuses.ts';

const config: Configuration = {
  appId: 'app.foresight.desktop',
  productName: 'Foresight',
  executableName: 'foresight',
  copyright: 'Copyright © Foresight',
  directories: { output: 'dist', buildResources: 'build' },
  files: ['out/**/*', 'package.json', '!**/*.map', '!**/*.{ts,tsx}'],
  asar: true,
  asarUnpack: ['**/node_modules/better-sqlite3/**/*.node'],
  // better-sqlite3 13 ships N-API prebuilds: the same native file loads in Node and Electron, so
  // nothing is rebuilt (and no Electron headers are downloaded). Package each OS on that OS.
  npmRebuild: false,
  afterPack: (context) => afterPack(context as unknown as Parameters<typeof afterPack>[0]),
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Office',
    synopsis: 'Proactive customer success from a local database',
    maintainer: 'Foresight <support@foresight.invalid>',
  },
  deb: { packageCategory: 'office' },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.business',
    hardenedRuntime: true,
  },
  dmg: { writeUpdateInfo: false },
  win: { target: ['nsis'] },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
    deleteAppDataOnUninstall: false,
  },
};

export default config;
