import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../src/config/repo-root.js';

const SRC = path.join(REPO_ROOT, 'src');

// Static imports and re-exports (type-only ones included: they tie folders together just the same) and dynamic import().
const IMPORT = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const relative = (file: string) => path.relative(REPO_ROOT, file).split(path.sep).join('/');

/** One import of one of our files by another: paths from the repository root. */
interface ImportEdge {
  from: string;
  to: string;
}

/** Every relative import between files under src/ (`./x.js` names the source `./x.ts`). */
function sourceImports(): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2]!;
      if (!specifier.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts');
      if (target.startsWith(SRC + path.sep)) edges.push({ from: relative(file), to: relative(target) });
    }
  }
  return edges;
}

const folderOf = (file: string) => path.posix.dirname(file);

/** A cycle in the folder graph as `a → b → a` with the file import behind each step, or undefined. */
function folderCycle(edges: ImportEdge[]): string | undefined {
  const graph = new Map<string, Map<string, ImportEdge>>();
  for (const edge of edges) {
    const [from, to] = [folderOf(edge.from), folderOf(edge.to)];
    if (from === to) continue;
    if (!graph.has(from)) graph.set(from, new Map());
    if (!graph.get(from)!.has(to)) graph.get(from)!.set(to, edge);
  }
  const done = new Set<string>();
  const onPath: string[] = [];
  const visit = (folder: string): string[] | undefined => {
    const at = onPath.indexOf(folder);
    if (at >= 0) return [...onPath.slice(at), folder];
    if (done.has(folder)) return undefined;
    onPath.push(folder);
    for (const next of [...(graph.get(folder)?.keys() ?? [])].sort()) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    onPath.pop();
    done.add(folder);
    return undefined;
  };
  for (const folder of [...graph.keys()].sort()) {
    const cycle = visit(folder);
    if (!cycle) continue;
    const because = cycle.slice(1).map((to, index) => {
      const edge = graph.get(cycle[index]!)!.get(to)!;
      return `${edge.from} imports ${edge.to}`;
    });
    return `${cycle.join(' → ')} (${because.join('; ')})`;
  }
  return undefined;
}

describe('the folder structure of src/', () => {
  const edges = sourceImports();

  it('when the folders are linked by their imports, then no folder depends on itself through others', () => {
    expect(edges.length, 'no imports were found: the scan is broken').to.be.above(100);
    const cycle = folderCycle(edges);
    expect(cycle === undefined, `an import cycle between folders: ${cycle}`).to.equal(true);
  });

  it('when the engine imports, then it imports nothing from features, HTTP or config', () => {
    expect(
      edges.some((edge) => edge.from.startsWith('src/engine/')),
      'no engine file imports anything: the scan is broken',
    ).to.equal(true);
    const forbidden = edges
      .filter((edge) => edge.from.startsWith('src/engine/'))
      .filter((edge) => ['src/features/', 'src/http/', 'src/config/'].some((folder) => edge.to.startsWith(folder)))
      .map((edge) => `${edge.from} imports ${edge.to}`);
    expect(forbidden).to.deep.equal([]);
  });

  it('when a folder cycle exists, then the check names it with the imports behind it', () => {
    const cycle = folderCycle([
      { from: 'src/a/one.ts', to: 'src/b/two.ts' },
      { from: 'src/b/two.ts', to: 'src/a/three.ts' },
    ]);
    expect(cycle).to.equal('src/a → src/b → src/a (src/a/one.ts imports src/b/two.ts; src/b/two.ts imports src/a/three.ts)');
  });
});
