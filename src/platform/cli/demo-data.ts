import type { LocalizedText } from '../../db/schema.ts';

export interface DemoMunicipality {
  slug: string;
  names: LocalizedText;
  officialCode: string;
  population: number;
  lat: number;
  lng: number;
  locale: 'uk' | 'sr-Cyrl' | 'sr-Latn' | 'pl' | 'en';
  currency: 'UAH' | 'RSD' | 'PLN' | 'EUR';
  timeZone: 'Europe/Kyiv' | 'Europe/Belgrade' | 'Europe/Warsaw';
  departments: { slug: string; names: LocalizedText; email: string }[];
  people: { role: 'admin' | 'official' | 'moderator' | 'registrar'; name: string; department?: string }[];
  residents: string[];
}

const dept = (slug: string, uk: string, srCyrl: string, srLatn: string, pl: string, en: string, email: string) =>
  ({ slug, names: { uk, 'sr-Cyrl': srCyrl, 'sr-Latn': srLatn, pl, en }, email });

const COMMUNAL = (email: string) => dept('communal', 'Відділ житлово-комунального господарства', 'Одељење за комуналне делатности',
  'Odeljenje za komunalne delatnosti', 'Wydział Gospodarki Komunalnej', 'Department of Communal Services', email);
const FINANCE = (email: string) => dept('finance', 'Фінансовий відділ', 'Одељење за финансије', 'Odeljenje za finansije',
  'Wydział Finansowy', 'Finance Department', email);
const SOCIAL = (email: string) => dept('social', 'Управління соціального захисту населення', 'Одељење за социјалну заштиту',
  'Odeljenje za socijalnu zaštitu', 'Ośrodek Pomocy Społecznej', 'Social Protection Department', email);
const EDUCATION = (email: string) => dept('education', 'Відділ освіти, культури та спорту', 'Одељење за образовање, културу и спорт',
  'Odeljenje za obrazovanje, kulturu i sport', 'Wydział Edukacji, Kultury i Sportu', 'Education, Culture and Sport Department', email);

export const ASSOCIATION_NAMES: LocalizedText = {
  uk: 'Асоціація відкритих громад',
  'sr-Cyrl': 'Савез отворених општина',
  'sr-Latn': 'Savez otvorenih opština',
  pl: 'Związek Otwartych Gmin',
  en: 'Association of Open Communities',
};

/** Real places with approximate figures; codes follow each country's format (KATOTTH, Serbian municipality number, TERYT). */
export const DEMO_MUNICIPALITIES: DemoMunicipality[] = [
  {
    slug: 'zhovkva',
    names: { uk: 'Жовківська міська громада', 'sr-Cyrl': 'Жовква', 'sr-Latn': 'Žovkva', pl: 'Żółkiew', en: 'Zhovkva' },
    officialCode: 'UA46060170000071962', population: 34_700, lat: 50.0555, lng: 23.9734,
    locale: 'uk', currency: 'UAH', timeZone: 'Europe/Kyiv',
    departments: [COMMUNAL('zhkg@zhovkva.example'), FINANCE('finvid@zhovkva.example'), SOCIAL('soczahyst@zhovkva.example'), EDUCATION('osvita@zhovkva.example')],
    people: [
      { role: 'admin', name: 'Оксана Мельник' },
      { role: 'official', name: 'Тарас Коваль', department: 'communal' },
      { role: 'official', name: 'Ірина Савчук', department: 'finance' },
      { role: 'moderator', name: 'Андрій Бойко' },
      { role: 'registrar', name: 'Галина Олійник' },
    ],
    residents: ['Марія Шевчук', 'Богдан Ткачук', 'Олена Гнатюк', 'Василь Романюк'],
  },
  {
    slug: 'vlasotince',
    names: { uk: 'Власотинце', 'sr-Cyrl': 'Општина Власотинце', 'sr-Latn': 'Opština Vlasotince', pl: 'Vlasotince', en: 'Vlasotince' },
    officialCode: '70351', population: 28_000, lat: 42.9666, lng: 22.1292,
    locale: 'sr-Cyrl', currency: 'RSD', timeZone: 'Europe/Belgrade',
    departments: [COMMUNAL('komunalno@vlasotince.example'), FINANCE('finansije@vlasotince.example'), SOCIAL('socijalna@vlasotince.example')],
    people: [
      { role: 'admin', name: 'Драгана Стојановић' },
      { role: 'official', name: 'Милош Илић', department: 'communal' },
      { role: 'moderator', name: 'Јелена Митић' },
      { role: 'registrar', name: 'Весна Јовановић' },
    ],
    residents: ['Никола Петровић', 'Сања Ђорђевић', 'Марко Костић'],
  },
  {
    slug: 'sombor',
    names: { uk: 'Сомбор', 'sr-Cyrl': 'Град Сомбор', 'sr-Latn': 'Grad Sombor', pl: 'Sombor', en: 'Sombor' },
    officialCode: '80438', population: 77_500, lat: 45.7742, lng: 19.1122,
    locale: 'sr-Latn', currency: 'RSD', timeZone: 'Europe/Belgrade',
    departments: [COMMUNAL('komunalno@sombor.example'), FINANCE('finansije@sombor.example'), EDUCATION('obrazovanje@sombor.example')],
    people: [
      { role: 'admin', name: 'Vesna Kovačević' },
      { role: 'official', name: 'Zoran Babić', department: 'communal' },
      { role: 'moderator', name: 'Ivana Horvat' },
      { role: 'registrar', name: 'Milan Todorović' },
    ],
    residents: ['Dejan Marković', 'Tamara Nikolić', 'Stefan Popović'],
  },
  {
    slug: 'klodzko',
    names: { uk: 'Клодзько', 'sr-Cyrl': 'Клођко', 'sr-Latn': 'Kłodzko', pl: 'Gmina Miejska Kłodzko', en: 'Kłodzko' },
    officialCode: '0208011', population: 25_600, lat: 50.4346, lng: 16.6614,
    locale: 'pl', currency: 'PLN', timeZone: 'Europe/Warsaw',
    departments: [COMMUNAL('gk@klodzko.example'), FINANCE('finanse@klodzko.example')],
    people: [
      { role: 'admin', name: 'Katarzyna Wiśniewska' },
      { role: 'official', name: 'Piotr Zieliński', department: 'communal' },
      { role: 'moderator', name: 'Agnieszka Wójcik' },
      { role: 'registrar', name: 'Marek Nowak' },
    ],
    residents: ['Tomasz Lewandowski', 'Magdalena Kamińska'],
  },
];
