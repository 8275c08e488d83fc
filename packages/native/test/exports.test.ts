// The three descriptions of the addon's surface must agree (napi-rs checks its generated typings the same way): the
// raw `.node` exports, the JS layer over them (index.js, table.js) and the typings (index.d.ts, table.d.ts).
// A function added to Rust but not wrapped, wrapped but not typed, or typed but gone fails here.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as index from '../index.js';

const here = (file: string): string => fileURLToPath(new URL(`../${file}`, import.meta.url));
// The raw addon as the loader returns it (binding.js is internal and untyped).
const { binding } = (await import(here('binding.js'))) as { binding: Record<string, unknown> };

/** The value (not type-only) exports of a declaration file, as the compiler resolves them (re-exports included). */
function declaredValues(file: string): string[] {
  const program = ts.createProgram([here(file)], { noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(here(file))!)!;
  return checker
    .getExportsOfModule(module)
    .filter((symbol) => (ts.SymbolFlags.Value & (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol).flags) !== 0)
    .map((symbol) => symbol.name)
    .sort();
}

/** Every raw export the JS layer reads: `binding.name` and `export const { … } = binding`. */
function bindingNamesUsed(): string[] {
  const names = new Set<string>();
  for (const file of ['index.js', 'table.js']) {
    const source = readFileSync(here(file), 'utf8');
    // `binding.name`, not the file `./binding.js` that comments and imports mention.
    for (const [, name] of source.matchAll(/(?<![\w/])binding\.(?!js\b)(\w+)/g)) names.add(name!);
    for (const [, list] of source.matchAll(/export const \{([^}]*)\} = binding;/g)) {
      for (const name of list!.split(',').map((n) => n.trim()).filter(Boolean)) names.add(name);
    }
  }
  return [...names].sort();
}

describe('the addon surface', () => {
  it('index.d.ts declares exactly what index.js exports', () => {
    expect(declaredValues('index.d.ts')).toEqual(Object.keys(index).sort());
  });

  it('the JS layer uses every raw export and no name the .node lacks', () => {
    expect(bindingNamesUsed()).toEqual(Object.keys(binding).sort());
  });
});

describe('the loader', () => {
  const load = (env: Record<string, string>) =>
    spawnSync(
      process.execPath,
      ['--input-type=module', '-e', `import(${JSON.stringify(here('binding.js'))}).then(() => console.log('loaded'), (e) => {
        const chain = []; for (let c = e; c; c = c.cause) chain.push(String(c.message).split('\\n')[0]);
        console.log(JSON.stringify({ code: e.code, chain }));
      })`],
      { encoding: 'utf8', env: { ...process.env, ...env } },
    );

  it('PGML_NATIVE_LIBRARY_PATH loads the file it names', () => {
    const result = load({ PGML_NATIVE_LIBRARY_PATH: here('pgml-native.linux-x64-gnu.node') });
    expect(result.stdout.trim(), result.stderr).toBe('loaded');
  });

  it('a PGML_NATIVE_LIBRARY_PATH that does not load is NATIVE_UNAVAILABLE, the loader error as its cause', () => {
    const result = load({ PGML_NATIVE_LIBRARY_PATH: here('missing.node') });
    const { code, chain } = JSON.parse(result.stdout) as { code: string; chain: string[] };
    expect(code).toBe('NATIVE_UNAVAILABLE');
    expect(chain).toHaveLength(2);
    expect(chain[0]).toMatch(/PGML_NATIVE_LIBRARY_PATH=.*missing\.node does not load/);
    expect(chain[1]).toMatch(/Cannot find module/);
  });
});
