/**
 * The CLI bundle's imports of Node's built-in modules, rewritten to process.getBuiltinModule (Node
 * 22.3) by vite.cli.config.ts. Why: an `import` of a built-in builds an ES module facade of it,
 * which reads every export, and node:fs's facade thereby loads Node's stream modules, about 4 ms
 * of CPU of a one-shot `foresight status` (issue 16, docs/performance.md). The plain forms rolldown
 * writes, `import a, { b, c as d } from "node:x";`, become constants, read from globalThis.process
 * because a chunk may itself import node:process as `process`; a namespace import is left as is.
 */
const IMPORT = /^import\s+(?:([\w$]+)\s*(?:,\s*)?)?(?:\{([^}]*)\})?\s*from\s*"(node:[\w/]+)";$/gm;

export function builtinsFromProcess(code: string): string {
  return code.replace(IMPORT, (statement, whole: string | undefined, named: string | undefined, id: string) => {
    const from = `globalThis.process.getBuiltinModule(${JSON.stringify(id)})`;
    const names = (named ?? '')
      .split(',')
      .map((name) => name.trim().replace(/\s+as\s+/, ': '))
      .filter((name) => name !== '');
    const lines = [
      ...(whole ? [`const ${whole} = ${from};`] : []),
      ...(names.length > 0 ? [`const { ${names.join(', ')} } = ${from};`] : []),
    ];
    return lines.length > 0 ? lines.join(' ') : statement;
  });
}
