/** Places on the Earth: distances and the boxes that let a GiST index on a `point` narrow a search (reports, projects). */

export const EARTH_RADIUS_M = 6_371_000;
const METERS_PER_DEGREE_LAT = 111_320;
const rad = (deg: number) => (deg * Math.PI) / 180;

export interface LatLng { lat: number; lng: number }
export interface Box { south: number; west: number; north: number; east: number }

/** Great-circle distance in metres (haversine). */
export function distanceMeters(a: LatLng, b: LatLng): number {
  const h = Math.sin(rad(b.lat - a.lat) / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lng - a.lng) / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A box that holds every point within `meters` of `p` (a little more near its corners). */
export function boxAround(p: LatLng, meters: number): Box {
  const dLat = meters / METERS_PER_DEGREE_LAT;
  const dLng = meters / (METERS_PER_DEGREE_LAT * Math.max(0.01, Math.cos(rad(p.lat))));
  return { south: p.lat - dLat, west: p.lng - dLng, north: p.lat + dLat, east: p.lng + dLng };
}

/** `west,south,east,north` in degrees, from a query string: undefined when absent, null when malformed. */
export function parseBox(raw: string | undefined): Box | undefined | null {
  if (!raw) return undefined;
  const n = raw.split(',').map(Number);
  if (n.length !== 4 || n.some((x) => !Number.isFinite(x))) return null;
  const [west, south, east, north] = n as [number, number, number, number];
  return south < north && west < east && Math.abs(south) <= 90 && Math.abs(north) <= 90 ? { west, south, east, north } : null;
}
