// Refuses an old Node at once, with one sentence, before anything else runs. `npm install`
// (preinstall), `npm start` and `npm test` call it; better-sqlite3 13 and Node's type stripping,
// which runs our TypeScript sources directly, both need Node 22 or newer.
export const MINIMUM_NODE_MAJOR = 22;

export function requireNode(version = process.versions.node) {
  const major = Number(version.split('.')[0]);
  if (major >= MINIMUM_NODE_MAJOR) return;
  process.stderr.write(
    `Foresight needs Node.js ${MINIMUM_NODE_MAJOR} or newer and this is v${version}: install Node 24 (for example "npm install --prefix .tools/node node@24", then put .tools/node/node_modules/node/bin first on your PATH) and run the command again.\n`,
  );
  process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) requireNode();
