/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Server-only Node modules (native addon, worker threads, undici): keep them out of the bundle.
  serverExternalPackages: ['better-sqlite3', 'pino', '@elastic/elasticsearch'],
  poweredByHeader: false,
  // The build type-checks what the dashboard is made of; tests, scripts and the ingest
  // service are checked by `npm run typecheck`, so their work in progress cannot break a build.
  typescript: { tsconfigPath: 'tsconfig.app.json' },
  // unauthorized() and forbidden(): pages answer 401 and 403 (lib/auth/next/guard-page.ts).
  experimental: { authInterrupts: true },
  // Files proxy.ts does not see (static assets) still get the headers that need no nonce.
  async headers() {
    return [{
      source: '/:path*',
      headers: [
        { key: 'X-Content-Type-Options', value: 'nosniff' },
        { key: 'Referrer-Policy', value: 'no-referrer' },
        { key: 'X-Frame-Options', value: 'DENY' },
      ],
    }];
  },
};

export default nextConfig;
