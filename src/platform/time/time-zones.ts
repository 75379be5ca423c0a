import { hasMessage, INTL_TAG, type Locale, type Translate } from '../i18n/i18n.ts';

/** The zone a municipality in a country of this language is most likely in, offered first to a new one. */
const ZONE_OF_LANGUAGE: Record<string, string> = { uk: 'Europe/Kyiv', sr: 'Europe/Belgrade', pl: 'Europe/Warsaw' };

function part(locale: Locale, zone: string, option: Intl.DateTimeFormatOptions['timeZoneName'], at: Date): string {
  return new Intl.DateTimeFormat(INTL_TAG[locale], { timeZone: zone, timeZoneName: option })
    .formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '';
}

/** Minutes east of UTC in standard (winter) time: the smaller of January's and July's offsets. */
function standardOffset(zone: string): number {
  const minutes = (at: Date) => {
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(part('en', zone, 'longOffset', at));
    return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  };
  const year = new Date().getUTCFullYear();
  return Math.min(minutes(new Date(Date.UTC(year, 0, 15))), minutes(new Date(Date.UTC(year, 6, 15))));
}

const utc = (minutes: number) => {
  const abs = Math.abs(minutes);
  return `UTC${minutes < 0 ? '−' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
};

/**
 * A zone as people name it: "Kyiv — Eastern European Time (UTC+02:00)". Intl names the zone's time but not its
 * city, so cities come from the messages `time.zone.city.<id>` (the id's last part where there is none).
 */
export function timeZoneLabel(zone: string, locale: Locale, t: Translate): string {
  const key = `time.zone.city.${zone}`;
  const city = hasMessage(key) ? t(key) : (zone.split('/').pop() ?? zone).replace(/_/g, ' ');
  const name = part(locale, zone, 'longGeneric', new Date(Date.UTC(new Date().getUTCFullYear(), 0, 15)));
  return `${city} — ${name} (${utc(standardOffset(zone))})`;
}

/**
 * The options of a time-zone select: the municipality's own zone first (or, for a new one, the zone of its
 * language's country), then the others from west to east and by city.
 */
export function timeZoneOptions(zones: readonly string[], locale: Locale, t: Translate, own: { zone?: string | undefined; language?: string | undefined }) {
  const first = own.zone ?? ZONE_OF_LANGUAGE[(own.language ?? locale).split('-')[0]!];
  const options = zones.map((z) => ({ value: z, label: timeZoneLabel(z, locale, t), offset: standardOffset(z) }));
  options.sort((a, b) => Number(b.value === first) - Number(a.value === first) || a.offset - b.offset || a.label.localeCompare(b.label, INTL_TAG[locale]));
  return options.map(({ value, label }) => ({ value, label }));
}
