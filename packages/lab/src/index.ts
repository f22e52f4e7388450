export { Lab, type LabListener } from './lab';
export { LabManager, LabCapacityError, type LabManagerOptions } from './manager';
export { LabGateway, gatewayPath, type GatewayOptions } from './gateway';
export { SessionSigner, parseCookies, sessionCookie, sessionCookieName } from './session';
export { RealTimeScheduler, systemClock, type WallClock, type SchedulerState } from './scheduler';
export { defaultShape, normalizeShape, describeShape, shapeLimits, type LabShape } from './shape';
export { fastForward, fastForwardUntil } from './fast-forward';
export * from './protocol';
export * from './storage';
