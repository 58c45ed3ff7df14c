// What tests, benchmarks and deployment checks use to drive a real portal from outside: never
// imported by the portal's own code.
export * from './lib/rfb-handshake';
export * from './lib/rfb-frames';
export * from './lib/built-api';
export * from './lib/portal-client';
