// The layering of the README's folder map, checked by `npm run lint` (dependency-cruiser).
// Tests are not cruised: they may import anything.
const BROWSER = '^(widget|console|portal|app)/';
// The server's domains: everything in server/src/ except the pure OTP engine, the database
// layer and the few leaf modules every layer may use (config, errors, logger, paths).
const DOMAINS = '^server/src/(access|admins|auth|cli|crypto|delivery|events|filters|http|jwt|metrics|net|push|resources|tokens|users|widget)/|^server/src/(app|main)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make load order matter and modules impossible to understand alone.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'otp-engine-is-pure',
      severity: 'error',
      comment: 'server/src/otp/ is the pure OTP engine (also run by the demo): it imports only itself, shared/ and packages.',
      from: { path: '^server/src/otp/' },
      to: { path: '^(server|demo|widget)/', pathNot: '^server/src/otp/' },
    },
    {
      name: 'shared-imports-nothing-of-ours',
      severity: 'error',
      comment: 'shared/ is imported by the server and the browser code alike: it may import only itself and packages.',
      from: { path: '^shared/' },
      to: { path: '^(server|widget|demo|console|portal|app|bin|scripts)/' },
    },
    {
      name: 'db-knows-no-domain',
      severity: 'error',
      comment: 'server/src/db/ (connection, migrations, generic helpers) knows no domain: domains import it, not the reverse.',
      from: { path: '^server/src/db/' },
      to: { path: DOMAINS },
    },
    {
      name: 'browser-code-imports-shared-only',
      severity: 'error',
      comment: 'Browser bundles may import only their own folder, shared/ and packages (never server or demo code).',
      from: { path: BROWSER },
      to: { pathNot: ['^$1/', '^shared/', 'node_modules'] , dependencyTypesNot: ['core'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|test|\\.tmp)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    // Package subpaths (hono/html, tsx/esm/api) are found through their "exports".
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], mainFields: ['module', 'main', 'types'] },
  },
};
