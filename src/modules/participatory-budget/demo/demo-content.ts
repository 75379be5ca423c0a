import { toCyrillic } from '../../../platform/i18n/serbian.ts';

/**
 * Demo texts of the participatory budget per content language of the demo municipalities (Ukrainian, Serbian,
 * Polish); Serbian is written once in Latin and shown in Cyrillic for Vlasotince. Category names carry all five
 * languages, as categories are named per locale.
 */

export interface DemoProjectText { title: string; summary: string; description: string; beneficiaries: string; items: [string, number, string, number][] }
export interface DemoTexts {
  cycleTitle: (year: number) => string;
  cycleDescription: string;
  /** The youth budget: a cycle of its own, for ideas of young residents. */
  youthTitle: (year: number) => string;
  youthDescription: string;
  projects: DemoProjectText[];
  returned: string;
  rejected: string;
  updates: string[];
  milestones: string[];
  /** First and last names of demo residents (last names the same for women and men). */
  first: string[];
  last: string[];
}

export const CATEGORY_NAMES: Record<'small' | 'large', Record<string, string>> = {
  small: { uk: 'Малі проєкти', 'sr-Cyrl': 'Мали пројекти', 'sr-Latn': 'Mali projekti', pl: 'Projekty małe', en: 'Small projects' },
  large: { uk: 'Великі проєкти', 'sr-Cyrl': 'Велики пројекти', 'sr-Latn': 'Veliki projekti', pl: 'Projekty duże', en: 'Large projects' },
};

const UK: DemoTexts = {
  cycleTitle: (y) => `Громадський бюджет ${y}`,
  cycleDescription: 'Кошти міського бюджету, про використання яких вирішують мешканці громади: подайте свій проєкт або проголосуйте за проєкти сусідів.',
  youthTitle: (y) => `Молодіжний бюджет ${y}`,
  youthDescription: 'Бюджет, про який вирішують молоді мешканці громади: ідеї для дозвілля, спорту й навчання молоді.',
  projects: [
    { title: 'Дитячий майданчик у сквері на вулиці Львівській', summary: 'Гойдалки, пісочниця й безпечне покриття для наймолодших.', description: 'Старий майданчик розібрали три роки тому. Пропонуємо встановити сертифіковане обладнання, гумове покриття й лавки для батьків.', beneficiaries: 'Родини з дітьми мікрорайону, близько 600 осіб', items: [['Комплекс для дітей 3–7 років', 1000, 'шт.', 18_000_000], ['Гумове покриття', 120_000, 'м²', 95_000], ['Лавка', 4000, 'шт.', 650_000]] },
    { title: 'Велопарковки біля шкіл і ліцею', summary: 'Тридцять місць для велосипедів біля трьох шкіл.', description: 'Діти їздять до школи велосипедами, але їх нема де залишити. Встановимо накриті велопарковки.', beneficiaries: 'Учні та вчителі трьох шкіл', items: [['Накрита велопарковка на 10 місць', 3000, 'шт.', 2_400_000], ['Монтаж', 3000, 'посл.', 300_000]] },
    { title: 'Освітлення пішохідної доріжки до вокзалу', summary: 'Сучасні ліхтарі вздовж темної доріжки завдовжки 400 м.', description: 'Увечері доріжка від вокзалу до центру не освітлена. Пропонуємо 16 енергоощадних ліхтарів на сонячних панелях.', beneficiaries: 'Пасажири залізниці, мешканці вулиць Вокзальної й Сонячної', items: [['Ліхтар на сонячній панелі', 16_000, 'шт.', 1_500_000], ['Встановлення', 16_000, 'шт.', 200_000]] },
    { title: 'Сенсорна кімната в інклюзивно-ресурсному центрі', summary: 'Обладнання для занять дітей з особливими освітніми потребами.', description: 'Центр приймає понад 80 дітей. Сенсорна кімната допоможе проводити заняття з розвитку й реабілітації.', beneficiaries: 'Діти з особливими освітніми потребами та їхні родини', items: [['Комплект сенсорного обладнання', 1000, 'компл.', 9_500_000], ['Меблі та м’які модулі', 1000, 'компл.', 2_100_000]] },
    { title: 'Відновлення фонтану на площі Вічевій', summary: 'Ремонт чаші й насосної системи фонтану.', description: 'Фонтан не працює з 2019 року. Проєкт передбачає ремонт чаші, нову насосну систему й підсвітку.', beneficiaries: 'Усі мешканці й гості міста', items: [['Ремонт чаші', 1000, 'посл.', 42_000_000], ['Насосна система', 1000, 'компл.', 31_000_000], ['Підсвітка', 1000, 'компл.', 8_000_000]] },
    { title: 'Спортивний майданчик із вуличними тренажерами', summary: 'Десять тренажерів і турнік біля стадіону.', description: 'Майданчик для занять спортом просто неба для молоді й старших людей, з покриттям і інформаційним стендом.', beneficiaries: 'Молодь і дорослі, близько 2000 осіб', items: [['Вуличний тренажер', 10_000, 'шт.', 4_500_000], ['Покриття', 200_000, 'м²', 80_000], ['Монтаж', 1000, 'посл.', 5_000_000]] },
    { title: 'Громадський простір у бібліотеці', summary: 'Коворкінг і зал для зустрічей у центральній бібліотеці.', description: 'Переобладнати читальний зал на простір для навчання, роботи й зустрічей громадських організацій.', beneficiaries: 'Студенти, громадські організації, відвідувачі бібліотеки', items: [['Меблі', 1000, 'компл.', 26_000_000], ['Проєктор та екран', 1000, 'компл.', 4_000_000]] },
    { title: 'Озеленення вулиці Шевченка', summary: 'Сорок нових дерев і квітники вздовж вулиці.', description: 'Висадити липи й клени, облаштувати квітники з крапельним поливом.', beneficiaries: 'Мешканці й перехожі вулиці Шевченка', items: [['Саджанець дерева', 40_000, 'шт.', 250_000], ['Квітник з поливом', 6000, 'шт.', 900_000]] },
    { title: 'Скейт-майданчик на території колишнього заводу', summary: 'Рампи й перила для скейтбордистів і роллерів.', description: 'Пропонуємо облаштувати скейт-майданчик з бетонними рампами на пустирі колишнього заводу біля річки.', beneficiaries: 'Підлітки й молодь громади', items: [['Бетонна рампа', 4000, 'шт.', 6_000_000], ['Перила й бокси', 1000, 'компл.', 5_500_000]] },
  ],
  returned: 'Додайте, будь ласка, кошторис на монтаж і погодження з балансоутримувачем ділянки.',
  rejected: 'Ділянка не є комунальною власністю громади, тому проєкт не може бути реалізований коштом громадського бюджету.',
  updates: ['Укладено договір з підрядником, роботи почнуться наступного місяця.', 'Обладнання змонтовано, триває укладання покриття.', 'Роботи завершено, об’єкт відкрито для мешканців.'],
  milestones: ['Договір з підрядником', 'Монтаж обладнання', 'Відкриття'],
  first: ['Олександр', 'Наталія', 'Іван', 'Ольга', 'Петро', 'Юлія', 'Михайло', 'Тетяна'],
  last: ['Мельничук', 'Ковальчук', 'Бондар', 'Кравець', 'Лисенко', 'Гуменюк'],
};

const SR: DemoTexts = {
  cycleTitle: (y) => `Participativni budžet ${y}`,
  cycleDescription: 'Deo opštinskog budžeta o kome odlučuju građani: podnesite svoj projekat ili glasajte za projekte komšija.',
  youthTitle: (y) => `Omladinski budžet ${y}`,
  youthDescription: 'Budžet o kome odlučuju mladi: ideje za slobodno vreme, sport i učenje mladih.',
  projects: [
    { title: 'Dečje igralište u parku kod Doma kulture', summary: 'Ljuljaške, peskovnik i bezbedna podloga za najmlađe.', description: 'Staro igralište je uklonjeno pre tri godine. Predlažemo sertifikovanu opremu, gumenu podlogu i klupe za roditelje.', beneficiaries: 'Porodice sa decom iz naselja, oko 600 ljudi', items: [['Oprema za decu od 3 do 7 godina', 1000, 'kom.', 180_000_000], ['Gumena podloga', 120_000, 'm²', 950_000], ['Klupa', 4000, 'kom.', 6_500_000]] },
    { title: 'Parking za bicikle kod škola', summary: 'Trideset mesta za bicikle kod tri škole.', description: 'Deca dolaze biciklom u školu, ali nemaju gde da ih ostave. Postavićemo natkrivene parkinge za bicikle.', beneficiaries: 'Učenici i nastavnici tri škole', items: [['Natkriveni parking za 10 bicikala', 3000, 'kom.', 24_000_000], ['Montaža', 3000, 'usl.', 3_000_000]] },
    { title: 'Osvetljenje pešačke staze do autobuske stanice', summary: 'Savremene svetiljke duž mračne staze duge 400 m.', description: 'Uveče staza od stanice do centra nije osvetljena. Predlažemo 16 štedljivih svetiljki na solarne panele.', beneficiaries: 'Putnici i stanovnici okolnih ulica', items: [['Solarna svetiljka', 16_000, 'kom.', 15_000_000], ['Postavljanje', 16_000, 'kom.', 2_000_000]] },
    { title: 'Senzorna soba u dnevnom boravku', summary: 'Oprema za rad sa decom sa smetnjama u razvoju.', description: 'Dnevni boravak prima više od 40 dece. Senzorna soba pomoći će u radu na razvoju i rehabilitaciji.', beneficiaries: 'Deca sa smetnjama u razvoju i njihove porodice', items: [['Komplet senzorne opreme', 1000, 'kompl.', 95_000_000], ['Nameštaj i meki moduli', 1000, 'kompl.', 21_000_000]] },
    { title: 'Obnova fontane na glavnom trgu', summary: 'Popravka korita i pumpi fontane.', description: 'Fontana ne radi od 2019. Projekat obuhvata popravku korita, nove pumpe i osvetljenje.', beneficiaries: 'Svi stanovnici i gosti grada', items: [['Popravka korita', 1000, 'usl.', 420_000_000], ['Pumpe', 1000, 'kompl.', 310_000_000], ['Osvetljenje', 1000, 'kompl.', 80_000_000]] },
    { title: 'Teretana na otvorenom kod stadiona', summary: 'Deset spravi za vežbanje i vratilo.', description: 'Prostor za vežbanje na otvorenom za mlade i starije, sa podlogom i informativnom tablom.', beneficiaries: 'Mladi i odrasli, oko 2000 ljudi', items: [['Sprava za vežbanje', 10_000, 'kom.', 45_000_000], ['Podloga', 200_000, 'm²', 800_000], ['Montaža', 1000, 'usl.', 50_000_000]] },
    { title: 'Prostor za mlade u biblioteci', summary: 'Prostor za učenje i sastanke u gradskoj biblioteci.', description: 'Čitaonicu pretvoriti u prostor za učenje, rad i sastanke udruženja građana.', beneficiaries: 'Studenti, udruženja, posetioci biblioteke', items: [['Nameštaj', 1000, 'kompl.', 260_000_000], ['Projektor i platno', 1000, 'kompl.', 40_000_000]] },
    { title: 'Ozelenjavanje Ulice kralja Petra', summary: 'Četrdeset novih stabala i cvetne leje.', description: 'Posaditi lipe i javorove i urediti cvetne leje sa sistemom za zalivanje kap po kap.', beneficiaries: 'Stanovnici i prolaznici', items: [['Sadnica drveta', 40_000, 'kom.', 2_500_000], ['Cvetna leja sa zalivanjem', 6000, 'kom.', 9_000_000]] },
    { title: 'Skejt park na mestu bivše fabrike', summary: 'Rampe i ograde za skejtbordere i rolere.', description: 'Predlažemo uređenje skejt parka sa betonskim rampama na praznom placu bivše fabrike pored reke.', beneficiaries: 'Tinejdžeri i mladi iz opštine', items: [['Betonska rampa', 4000, 'kom.', 60_000_000], ['Ograde i boksovi', 1000, 'kompl.', 55_000_000]] },
  ],
  returned: 'Molimo dodajte predmer radova za montažu i saglasnost upravljača parcele.',
  rejected: 'Parcela nije u javnoj svojini opštine, pa se projekat ne može finansirati iz participativnog budžeta.',
  updates: ['Potpisan je ugovor sa izvođačem, radovi počinju sledećeg meseca.', 'Oprema je postavljena, u toku je postavljanje podloge.', 'Radovi su završeni, objekat je otvoren za građane.'],
  milestones: ['Ugovor sa izvođačem', 'Postavljanje opreme', 'Otvaranje'],
  first: ['Milan', 'Jovana', 'Nenad', 'Milica', 'Dragan', 'Ana', 'Luka', 'Marija'],
  last: ['Jovanović', 'Stojanović', 'Ilić', 'Pavlović', 'Đorđević', 'Stanković'],
};

const PL: DemoTexts = {
  cycleTitle: (y) => `Budżet obywatelski ${y}`,
  cycleDescription: 'Część budżetu miasta, o której decydują mieszkańcy: zgłoś swój projekt albo zagłosuj na projekty sąsiadów.',
  youthTitle: (y) => `Młodzieżowy budżet obywatelski ${y}`,
  youthDescription: 'Budżet, o którym decydują młodzi mieszkańcy: pomysły na czas wolny, sport i naukę młodzieży.',
  projects: [
    { title: 'Plac zabaw w parku przy ulicy Łukasińskiego', summary: 'Huśtawki, piaskownica i bezpieczna nawierzchnia dla najmłodszych.', description: 'Stary plac zabaw rozebrano trzy lata temu. Proponujemy certyfikowane urządzenia, nawierzchnię gumową i ławki dla rodziców.', beneficiaries: 'Rodziny z dziećmi z osiedla, około 600 osób', items: [['Zestaw dla dzieci 3–7 lat', 1000, 'szt.', 7_500_000], ['Nawierzchnia gumowa', 120_000, 'm²', 38_000], ['Ławka', 4000, 'szt.', 260_000]] },
    { title: 'Stojaki rowerowe przy szkołach', summary: 'Trzydzieści miejsc dla rowerów przy trzech szkołach.', description: 'Dzieci dojeżdżają do szkoły rowerami, ale nie mają gdzie ich zostawić. Ustawimy zadaszone stojaki.', beneficiaries: 'Uczniowie i nauczyciele trzech szkół', items: [['Zadaszony stojak na 10 rowerów', 3000, 'szt.', 1_000_000], ['Montaż', 3000, 'usł.', 120_000]] },
    { title: 'Oświetlenie ścieżki do dworca', summary: 'Nowoczesne latarnie wzdłuż ciemnej ścieżki długości 400 m.', description: 'Wieczorem ścieżka z dworca do centrum jest nieoświetlona. Proponujemy 16 energooszczędnych latarni solarnych.', beneficiaries: 'Podróżni i mieszkańcy okolicznych ulic', items: [['Latarnia solarna', 16_000, 'szt.', 600_000], ['Montaż', 16_000, 'szt.', 80_000]] },
    { title: 'Sala doświadczania świata w przedszkolu', summary: 'Wyposażenie do zajęć dla dzieci ze specjalnymi potrzebami.', description: 'Przedszkole przyjmuje ponad 40 dzieci. Sala pomoże w zajęciach rozwojowych i terapii.', beneficiaries: 'Dzieci ze specjalnymi potrzebami edukacyjnymi i ich rodziny', items: [['Zestaw wyposażenia sensorycznego', 1000, 'kpl.', 3_800_000], ['Meble i miękkie moduły', 1000, 'kpl.', 850_000]] },
    { title: 'Remont fontanny na Placu Bolesława Chrobrego', summary: 'Naprawa niecki i pomp fontanny.', description: 'Fontanna nie działa od 2019 roku. Projekt obejmuje naprawę niecki, nowe pompy i podświetlenie.', beneficiaries: 'Wszyscy mieszkańcy i goście miasta', items: [['Naprawa niecki', 1000, 'usł.', 17_000_000], ['Pompy', 1000, 'kpl.', 12_500_000], ['Podświetlenie', 1000, 'kpl.', 3_200_000]] },
    { title: 'Siłownia pod chmurką przy stadionie', summary: 'Dziesięć urządzeń do ćwiczeń i drążek.', description: 'Miejsce do ćwiczeń na świeżym powietrzu dla młodzieży i seniorów, z nawierzchnią i tablicą informacyjną.', beneficiaries: 'Młodzież i dorośli, około 2000 osób', items: [['Urządzenie do ćwiczeń', 10_000, 'szt.', 1_800_000], ['Nawierzchnia', 200_000, 'm²', 32_000], ['Montaż', 1000, 'usł.', 2_000_000]] },
    { title: 'Strefa spotkań w bibliotece', summary: 'Przestrzeń do nauki i spotkań w bibliotece miejskiej.', description: 'Przebudować czytelnię na przestrzeń do nauki, pracy i spotkań organizacji pozarządowych.', beneficiaries: 'Studenci, organizacje, czytelnicy', items: [['Meble', 1000, 'kpl.', 10_500_000], ['Projektor i ekran', 1000, 'kpl.', 1_600_000]] },
    { title: 'Zieleń na ulicy Kościuszki', summary: 'Czterdzieści nowych drzew i rabaty kwiatowe.', description: 'Posadzić lipy i klony oraz urządzić rabaty z nawadnianiem kropelkowym.', beneficiaries: 'Mieszkańcy i przechodnie', items: [['Sadzonka drzewa', 40_000, 'szt.', 100_000], ['Rabata z nawadnianiem', 6000, 'szt.', 360_000]] },
    { title: 'Skatepark na terenie dawnej fabryki', summary: 'Rampy i poręcze dla deskorolkarzy i rolkarzy.', description: 'Proponujemy urządzenie skateparku z betonowymi rampami na nieużytku dawnej fabryki nad rzeką.', beneficiaries: 'Nastolatki i młodzież z gminy', items: [['Rampa betonowa', 4000, 'szt.', 2_400_000], ['Poręcze i boksy', 1000, 'kpl.', 2_200_000]] },
  ],
  returned: 'Prosimy dodać kosztorys montażu i zgodę zarządcy działki.',
  rejected: 'Działka nie jest własnością gminy, więc projektu nie można sfinansować z budżetu obywatelskiego.',
  updates: ['Podpisano umowę z wykonawcą, prace ruszą w przyszłym miesiącu.', 'Urządzenia zamontowano, trwa układanie nawierzchni.', 'Prace zakończono, obiekt jest otwarty dla mieszkańców.'],
  milestones: ['Umowa z wykonawcą', 'Montaż urządzeń', 'Otwarcie'],
  first: ['Jan', 'Anna', 'Krzysztof', 'Ewa', 'Paweł', 'Joanna', 'Michał', 'Barbara'],
  last: ['Nowak', 'Wójcik', 'Mazur', 'Krawczyk', 'Kaczmarek', 'Zając'],
};

const cyrillic = (t: DemoTexts): DemoTexts => ({
  cycleTitle: (y) => toCyrillic(t.cycleTitle(y)),
  cycleDescription: toCyrillic(t.cycleDescription),
  youthTitle: (y) => toCyrillic(t.youthTitle(y)),
  youthDescription: toCyrillic(t.youthDescription),
  projects: t.projects.map((p) => ({ title: toCyrillic(p.title), summary: toCyrillic(p.summary), description: toCyrillic(p.description), beneficiaries: toCyrillic(p.beneficiaries), items: p.items.map(([a, q, u, price]) => [toCyrillic(a), q, toCyrillic(u), price]) })),
  returned: toCyrillic(t.returned), rejected: toCyrillic(t.rejected), updates: t.updates.map(toCyrillic), milestones: t.milestones.map(toCyrillic),
  first: t.first.map(toCyrillic), last: t.last.map(toCyrillic),
});

/** The demo texts in a municipality's content language (Ukrainian where the language has none). */
export function demoTexts(locale: string): DemoTexts {
  switch (locale) {
    case 'sr-Latn': return SR;
    case 'sr-Cyrl': return cyrillic(SR);
    case 'pl': return PL;
    default: return UK;
  }
}
