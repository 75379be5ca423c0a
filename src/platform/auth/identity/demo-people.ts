/**
 * The people the demo identity providers know: invented residents of the demo municipalities, with national
 * ids of the right shape (not real people's: PESEL and JMBG check digits are right, the dates invented), their
 * birth dates (those the ids encode) and the official code of their residence, so a newcomer can become a
 * verified resident in one click. Most are adults; Sofiia is 16 whenever the demo runs, for age rules.
 */
export interface DemoPerson {
  /** The provider's subject for this person. */
  subject: string;
  givenName: string;
  familyName: string;
  email: string;
  country: 'ua' | 'pl' | 'rs';
  /** RNOKPP (Ukraine), PESEL (Poland) or JMBG (Serbia). */
  nationalId: string;
  /** The official code of the residence (municipalities.official_code of a demo municipality). */
  residenceCode: string;
  address: string;
  /** The birth date the providers vouch for (`YYYY-MM-DD`). */
  birthDate: string;
}

/** The day `years` years and `days` days before today (UTC). */
function yearsAgo(years: number, days: number): string {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

export const DEMO_PEOPLE: DemoPerson[] = [
  { subject: 'demo-ua-1', givenName: 'Оксана', familyName: 'Коваленко', email: 'oksana.kovalenko@demo.example', country: 'ua', nationalId: '3045612345', residenceCode: 'UA46060170000071962', address: 'м. Жовква, вул. Львівська, 12', birthDate: '1983-05-21' },
  { subject: 'demo-ua-2', givenName: 'Тарас', familyName: 'Мельник', email: 'taras.melnyk@demo.example', country: 'ua', nationalId: '2987654321', residenceCode: 'UA46060170000071962', address: 'м. Жовква, пл. Вічева, 3', birthDate: '1981-10-18' },
  { subject: 'demo-pl-1', givenName: 'Agnieszka', familyName: 'Wójcik', email: 'agnieszka.wojcik@demo.example', country: 'pl', nationalId: '85071512342', residenceCode: '0208011', address: 'ul. Wojska Polskiego 5, 57-300 Kłodzko', birthDate: '1985-07-15' },
  { subject: 'demo-rs-1', givenName: 'Milica', familyName: 'Jovanović', email: 'milica.jovanovic@demo.example', country: 'rs', nationalId: '1506990715011', residenceCode: '70351', address: 'Ulica Nemanjina 10, 16210 Vlasotince', birthDate: '1990-06-15' },
  { subject: 'demo-rs-2', givenName: 'Стефан', familyName: 'Петровић', email: 'stefan.petrovic@demo.example', country: 'rs', nationalId: '0203988800019', residenceCode: '80438', address: 'Краља Петра I 4, 25000 Сомбор', birthDate: '1988-03-02' },
  // 16 years and 100 days old on any day: old enough for a 16+ vote, too young for an 18+ one.
  { subject: 'demo-ua-3', givenName: 'Софія', familyName: 'Гнатюк', email: 'sofiia.hnatiuk@demo.example', country: 'ua', nationalId: '4051298765', residenceCode: 'UA46060170000071962', address: 'м. Жовква, вул. Запорізька, 7', birthDate: yearsAgo(16, 100) },
];

/** The demo people of one country. */
export const demoPeopleOf = (country: DemoPerson['country']) => DEMO_PEOPLE.filter((p) => p.country === country);
