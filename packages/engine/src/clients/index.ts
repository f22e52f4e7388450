export * from './consumer-protocol';
export * from './assignors';
export * from './consumer';
export { LocalGroupRunner } from './local-group';
