/**
 * Geo-replication labs hold two clusters on one clock (the engine's MultiCluster): the
 * primary region "us-east", whose brokers listen on localhost:9092 and up, and the
 * secondary "eu-west", on localhost:9192 and up. A terminal line or a client request goes
 * to the primary unless its bootstrap servers name a secondary port, as a Kafka client
 * reaches whichever cluster its `bootstrap.servers` points at. The live lab and the
 * grading lab route the same way, with these functions.
 */
import { MultiCluster, type ClusterOptions, type NewTopic } from '@kil/engine';

export const geoRegions = {
  primary: { alias: 'us-east', portBase: 9092 },
  secondary: { alias: 'eu-west', portBase: 9192 },
} as const;

/** Ports reserved per region (broker N listens on base + N - 1). */
const portsPerRegion = 100;

export type GeoRegion = 'primary' | 'secondary';

/** The region a bootstrap list points at: secondary when any entry names a secondary port. */
export function regionOfBootstrap(servers: string): GeoRegion {
  const base = geoRegions.secondary.portBase;
  const ports = servers.split(',').map((entry) => Number(entry.trim().slice(entry.trim().lastIndexOf(':') + 1)));
  return ports.some((p) => Number.isInteger(p) && p >= base && p < base + portsPerRegion) ? 'secondary' : 'primary';
}

const bootstrapFlag = /(?:^|\s)--(?:bootstrap-servers?|broker-list)(?:=|\s+)(?:"([^"]*)"|'([^']*)'|(\S+))/;

/** The region a terminal line talks to: the one its --bootstrap-server names, else the primary. */
export function regionOfLine(line: string): GeoRegion {
  const match = bootstrapFlag.exec(line);
  const servers = match?.[1] ?? match?.[2] ?? match?.[3];
  return servers === undefined ? 'primary' : regionOfBootstrap(servers);
}

/** What a geo lab adds to a one-cluster shape: the second cluster and the link. */
export interface GeoShape {
  readonly secondary?: {
    readonly brokers?: number;
    readonly controllers?: number;
    readonly racks?: readonly string[];
    readonly topics?: readonly NewTopic[];
    readonly config?: Readonly<Record<string, string>>;
  };
  /** One-way latency of the link between the regions, in virtual ms (default 40). */
  readonly linkLatencyMs?: number;
}

/** The two clusters of a geo lab, the primary built from `primary` and the secondary from `shape`. */
export function geoCluster(primary: ClusterOptions, shape: GeoShape): MultiCluster {
  const second = shape.secondary ?? {};
  return new MultiCluster({
    primary: { ...primary, alias: geoRegions.primary.alias, advertisedPortBase: geoRegions.primary.portBase },
    secondary: {
      alias: geoRegions.secondary.alias,
      seed: (primary.seed ?? 1) + 1,
      brokers: second.brokers ?? 3,
      controllers: second.controllers ?? 3,
      ...(second.racks ? { racks: second.racks } : {}),
      ...(second.config ? { config: second.config } : {}),
      advertisedPortBase: geoRegions.secondary.portBase,
    },
    linkLatencyMs: shape.linkLatencyMs ?? 40,
  });
}
