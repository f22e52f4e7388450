import path from 'node:path';
import type { NextConfig } from 'next';

const config: NextConfig = {
  transpilePackages: ['@kil/engine', '@kil/ui', '@kil/lab', '@kil/shell'],
  outputFileTracingRoot: path.join(import.meta.dirname, '../..'),
  turbopack: { root: path.join(import.meta.dirname, '../..') },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
