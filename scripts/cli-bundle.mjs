// The esbuild options of dist/cli-main.js, in one place: scripts/build.mjs builds the CLI
// with them, and test/cli/lazy-bundle.test.ts builds an instrumented copy with the very same
// options, so what it proves about start-up holds for the bundle we ship.

export const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
  // Prefer packages' ESM builds: jsonc-parser's UMD "main" requires its modules dynamically,
  // which a bundle cannot follow.
  mainFields: ['module', 'main'],
};

/** Options for the CLI bundle; `plugins` are added after our own. */
export function cliBundleOptions({ entry, outfile, plugins = [], ...extra }) {
  return {
    ...common,
    // Whitespace and syntax only (names stay, for stack traces and the lazy-bundle test): a
    // smaller bundle reads and deserialises from the code cache faster on every CLI start.
    minifyWhitespace: true,
    minifySyntax: true,
    entryPoints: [entry],
    outfile,
    ...extra,
    plugins: [
      {
        // The CLI runs on plain Node: a reference to electron here is a bug, so make it fail the build.
        name: 'no-electron',
        setup(b) {
          b.onResolve({ filter: /^electron$/ }, (a) => ({ errors: [{ text: `electron imported by ${a.importer}: the CLI must not load electron` }] }));
        },
      },
      ...plugins,
    ],
  };
}
