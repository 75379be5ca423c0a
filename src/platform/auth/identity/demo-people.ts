/**
 * The people the demo identity providers know: invented residents of the demo municipalities, with national
 * ids of the right shape (not real people's: PESEL and JMBG check digits are right, the dates invented) and
 * the official code of their residence, so a newcomer can become a verified resident in one click.
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
}

export const DEMO_PEOPLE: DemoPerson[] = [
  { subject: 'demo-ua-1', givenName: 'Оксана', familyName: 'Коваленко', email: 'oksana.kovalenko@demo.example', country: 'ua', nationalId: '3045612345', residenceCode: 'UA46060170000071962', address: 'м. Жовква, вул. Львівська, 12' },
  { subject: 'demo-ua-2', givenName: 'Тарас', familyName: 'Мельник', email: 'taras.melnyk@demo.example', country: 'ua', nationalId: '2987654321', residenceCode: 'UA46060170000071962', address: 'м. Жовква, пл. Вічева, 3' },
  { subject: 'demo-pl-1', givenName: 'Agnieszka', familyName: 'Wójcik', email: 'agnieszka.wojcik@demo.example', country: 'pl', nationalId: '85071512342', residenceCode: '0208011', address: 'ul. Wojska Polskiego 5, 57-300 Kłodzko' },
  { subject: 'demo-rs-1', givenName: 'Milica', familyName: 'Jovanović', email: 'milica.jovanovic@demo.example', country: 'rs', nationalId: '1506990715011', residenceCode: '70351', address: 'Ulica Nemanjina 10, 16210 Vlasotince' },
  { subject: 'demo-rs-2', givenName: 'Стефан', familyName: 'Петровић', email: 'stefan.petrovic@demo.example', country: 'rs', nationalId: '0203988800019', residenceCode: '80438', address: 'Краља Петра I 4, 25000 Сомбор' },
];

/** The demo people of one country. */
export const demoPeopleOf = (country: DemoPerson['country']) => DEMO_PEOPLE.filter((p) => p.country === country);
