/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Server-only Node modules (native addon, worker threads, undici): keep them out of the bundle.
  serverExternalPackages: ['better-sqlite3', 'pino', '@elastic/elasticsearch'],
  poweredByHeader: false,
  // The build type-checks what the dashboard is made of; tests, scripts and the ingest
  // service are checked by `npm run typecheck`, so their work in progress cannot break a build.
  typescript: { tsconfigPath: 'tsconfig.app.json' },
};

export default nextConfig;
