/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // better-sqlite3 and pino are server-only Node modules; keep them out of the bundle.
  serverExternalPackages: ['better-sqlite3', 'pino'],
  poweredByHeader: false,
  // The build type-checks what the dashboard is made of; tests, scripts and the ingest
  // service are checked by `npm run typecheck`, so their work in progress cannot break a build.
  typescript: { tsconfigPath: 'tsconfig.app.json' },
};

export default nextConfig;
