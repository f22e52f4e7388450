export * from './records';
export * from './markers';
export * from './transaction-coordinator';
