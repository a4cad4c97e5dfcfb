const nxPreset = require('@nx/jest/preset').default;

// NestJS 12 ships as ES modules and Jest's module system only loads CommonJS, so those
// packages are compiled to CommonJS along with our TypeScript (swc: fast, keeps decorator
// metadata for Nest's dependency injection).
// content-disposition: ESM only, loaded by @fastify/static (Swagger UI assets). jose: ESM only
// (services verify callers' tokens with it). fractional-indexing and jittered-fractional-indexing: ESM only (deals' drag order).
// request-filtering-agent: ESM only (the integration gateway's webhook calls, SSRF at connect time).
const esmPackages = ['@nestjs', 'nestjs-cls', '@nestjs-cls', 'content-disposition', 'jose', 'fractional-indexing', 'jittered-fractional-indexing', 'request-filtering-agent'];

module.exports = {
  ...nxPreset,
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};
