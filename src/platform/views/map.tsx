import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { assetUrls } from '../http/assets.ts';
import type { Deps } from '../http/deps.ts';
import type { LatLng } from '../geo/geo.ts';
import type { Translate } from '../i18n/i18n.ts';
import { Field, type FormErrors, type FormValues } from './components.tsx';

/**
 * Maps are an enhancement (Leaflet, in the map bundle that main.ts loads only where a page has a map): the
 * container stays hidden until the script shows it, and the page's list or the latitude/longitude fields do
 * everything the map does. Any module with places uses these: reports, participatory-budget projects.
 */

/** The place fields' schema properties, for a form's TypeBox schema (the same limits as the database's checks). */
export const PlaceProperties = {
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  address: Type.Optional(Type.String({ maxLength: 300 })),
};

type MapProps = { deps: Deps; req: FastifyRequest; /** The region's name for screen readers; a generic one by default. */ label?: string }
  & ({ kind: 'points'; /** A GeoJSON FeatureCollection of points; the script adds `bbox=west,south,east,north`. */ geojson: string; /** Where the map opens (one item's place); the municipality's centre by default. */ center?: LatLng } | { kind: 'picker' });

/**
 * A map container the script fills: `points` shows the features of a GeoJSON URL, clustered, each linking to
 * its page (reloaded as the map moves); `picker` writes a clicked or dragged place into the fields `f-lat`
 * and `f-lng`, with a button that takes the map's centre for keyboard users.
 */
export function MapView(p: MapProps) {
  const { deps, req } = p;
  const m = req.municipality!;
  const { mapCss, mapJs } = assetUrls();
  const common = {
    class: 'map', hidden: true, role: 'region' as const, 'aria-label': p.label ?? req.t(p.kind === 'points' ? 'platform.map.label' : 'platform.map.pickerLabel'),
    'data-bundle': mapJs, 'data-style': mapCss, 'data-tiles': deps.config.tileUrl, 'data-attribution': deps.config.tileAttribution,
    'data-center': p.kind === 'points' && p.center ? `${p.center.lat},${p.center.lng}` : `${m.center_lat},${m.center_lng}`,
    'data-zoom': String(p.kind === 'picker' ? Math.max(m.zoom, 15) : p.center ? Math.max(m.zoom, 16) : m.zoom),
    'data-zoom-in': req.t('platform.map.zoomIn'), 'data-zoom-out': req.t('platform.map.zoomOut'),
  };
  return p.kind === 'points'
    ? <div {...common} data-module="points-map" data-geojson={p.geojson} />
    : <div {...common} data-module="place-picker" data-lat="f-lat" data-lng="f-lng" data-use-centre={req.t('platform.map.useCentre')} />;
}

/**
 * The place of something: the map picker, then (without JavaScript or a map) an address or landmark and the
 * coordinates. `address: false` asks for coordinates only, `grouped: false` leaves out the fieldset (a form
 * that is all about the place), `required` marks the coordinates as needed.
 */
export function PlaceFields(p: { deps: Deps; req: FastifyRequest; errors: FormErrors; values: FormValues; address?: boolean; grouped?: boolean; required?: boolean; hint?: string }) {
  const { deps, req, errors, values } = p;
  const t = req.t;
  const fields = (
    <>
      <MapView deps={deps} req={req} kind="picker" />
      {p.address !== false && <Field name="address" label={t('platform.map.address')} maxLength={300} autocomplete="address-line1" errors={errors} values={values} />}
      <Field name="lat" label={t('platform.map.lat')} inputMode="decimal" required={p.required} errors={errors} values={values} />
      <Field name="lng" label={t('platform.map.lng')} inputMode="decimal" required={p.required} errors={errors} values={values} />
    </>
  );
  if (p.grouped === false) return fields;
  return (
    <fieldset class="field-group">
      <legend>{t('platform.map.place')}</legend>
      <p class="field__hint">{p.hint ?? t(p.address === false ? 'platform.map.coordinatesHint' : 'platform.map.placeHint')}</p>
      {fields}
    </fieldset>
  );
}

/** The typed coordinates as a place (null when neither was given), or the field error when only one was. */
export function typedPlace(v: { lat?: number | undefined; lng?: number | undefined }, t: Translate): { at: LatLng | null } | { errors: FormErrors } {
  if ((v.lat === undefined) !== (v.lng === undefined)) return { errors: { [v.lat === undefined ? 'lat' : 'lng']: t('platform.map.bothCoordinates') } };
  return { at: v.lat !== undefined && v.lng !== undefined ? { lat: v.lat, lng: v.lng } : null };
}
