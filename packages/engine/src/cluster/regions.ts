/**
 * Regions of a stretched cluster. Racks name locations (`broker.rack`); a region groups
 * racks that are close together. By the naming rule used in the labs, rack `us-east-a` is
 * in region `us-east` (an availability zone letter or digit after the last dash), and a
 * rack without that suffix, such as `east`, is a region of its own. Links between nodes in
 * different regions carry the inter-region latency; nodes without a rack (the controllers
 * in most labs) sit in no region and pay nothing extra.
 */
export function regionOfRack(rack: string | null, regions?: Readonly<Record<string, string>>): string | null {
  if (rack === null) return null;
  const explicit = regions?.[rack];
  if (explicit !== undefined) return explicit;
  const match = /^(.+)-[a-z0-9]$/.exec(rack);
  return match === null ? rack : match[1]!;
}

/** The extra one-way latency between two nodes given their racks. */
export function interRegionDelayMs(
  rackOf: (id: number) => string | null,
  latencyMs: number,
  regions?: Readonly<Record<string, string>>,
): (from: number, to: number) => number {
  return (from, to) => {
    if (latencyMs <= 0) return 0;
    const a = regionOfRack(rackOf(from), regions);
    const b = regionOfRack(rackOf(to), regions);
    return a !== null && b !== null && a !== b ? latencyMs : 0;
  };
}
