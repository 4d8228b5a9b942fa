/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // better-sqlite3 and pino are server-only Node modules; keep them out of the bundle.
  serverExternalPackages: ['better-sqlite3', 'pino'],
  poweredByHeader: false,
};

export default nextConfig;
