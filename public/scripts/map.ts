/// <reference lib="dom" />
// The map bundle, loaded only by pages that show a map (see main.ts and platform/views/map.tsx). Every map is
// an enhancement: the page's list (of reports, of projects) and the latitude/longitude fields work without it,
// and a screen reader user can use those. Texts come translated from the page's data attributes.
import L from 'leaflet';
import 'leaflet.markercluster';

interface Feature { geometry: { coordinates: [number, number] }; properties: { number: number; title: string; status: string; url: string; category_name: string } }

function baseMap(el: HTMLElement): L.Map {
  const [lat, lng] = (el.dataset.center ?? '0,0').split(',').map(Number) as [number, number];
  const map = L.map(el, { zoomControl: false, keyboard: true }).setView([lat, lng], Number(el.dataset.zoom) || 14);
  L.control.zoom({ zoomInTitle: el.dataset.zoomIn ?? '+', zoomOutTitle: el.dataset.zoomOut ?? '−' }).addTo(map);
  map.attributionControl.setPrefix(false);
  L.tileLayer(el.dataset.tiles ?? '', { maxZoom: 19, attribution: el.dataset.attribution ?? '' }).addTo(map);
  return map;
}

const pin = (status: string) => L.divIcon({ className: '', html: `<span class="map-pin map-pin--${status === 'fixed' || status === 'closed' ? status : 'open'}"></span>`, iconSize: [20, 20] });

/** The GeoJSON points (reports, projects) of what the map shows, clustered, each linking to its page; reloaded when the map moves. */
export function mountPointsMap(el: HTMLElement): void {
  const map = baseMap(el);
  const layer = L.markerClusterGroup();
  map.addLayer(layer);
  let pending: AbortController | null = null;
  const load = async () => {
    pending?.abort();
    pending = new AbortController();
    const b = map.getBounds();
    const url = new URL(el.dataset.geojson ?? '', location.href);
    url.searchParams.set('bbox', `${b.getWest()},${b.getSouth()},${b.getEast()},${b.getNorth()}`);
    try {
      const data = await (await fetch(url, { signal: pending.signal })).json() as { features: Feature[] };
      layer.clearLayers();
      for (const f of data.features) {
        const [lng, lat] = f.geometry.coordinates;
        const link = document.createElement('a');
        link.href = f.properties.url;
        link.textContent = `${f.properties.number}: ${f.properties.title}`;
        layer.addLayer(L.marker([lat, lng], { icon: pin(f.properties.status), title: `${f.properties.title} (${f.properties.category_name})`, keyboard: true }).bindPopup(link));
      }
    } catch {
      // A moved map aborts the previous load; an offline one keeps what it shows.
    }
  };
  map.on('moveend', () => void load());
  void load();
}

/** Picks a place (of a new report, a project) into the latitude and longitude fields, by click, drag or the map's centre. */
export function mountPlacePicker(el: HTMLElement): void {
  const lat = document.getElementById(el.dataset.lat ?? '') as HTMLInputElement | null;
  const lng = document.getElementById(el.dataset.lng ?? '') as HTMLInputElement | null;
  if (!lat || !lng) return;
  const map = baseMap(el);
  const marker = L.marker(map.getCenter(), { icon: L.divIcon({ className: '', html: '<span class="map-pin map-pin--picked"></span>', iconSize: [24, 24] }), draggable: true, keyboard: false });
  const set = (p: L.LatLng) => {
    lat.value = p.lat.toFixed(6);
    lng.value = p.lng.toFixed(6);
    marker.setLatLng(p).addTo(map);
  };
  const typed = () => {
    const p = L.latLng(Number(lat.value), Number(lng.value));
    if (lat.value && lng.value && Number.isFinite(p.lat) && Number.isFinite(p.lng)) {
      marker.setLatLng(p).addTo(map);
      map.panTo(p);
    }
  };
  typed();
  map.on('click', (e: L.LeafletMouseEvent) => set(e.latlng));
  marker.on('dragend', () => set(marker.getLatLng()));
  lat.addEventListener('change', typed);
  lng.addEventListener('change', typed);
  // For the keyboard: pan with the arrow keys, then take the centre.
  const centre = document.createElement('button');
  centre.type = 'button';
  centre.className = 'button button--secondary';
  centre.textContent = el.dataset.useCentre ?? '';
  centre.addEventListener('click', () => set(map.getCenter()));
  el.after(centre);
}
