export * from './producer-state';
