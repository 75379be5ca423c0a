/** Demo petitions, categories and signers' names in each demo municipality's language (Serbian Latin is transliterated). */

type Lang = 'uk' | 'sr' | 'pl';
export interface DemoPetition {
  plan: 'draft' | 'moderation' | 'open-near' | 'open-early' | 'awaiting' | 'awaiting-overdue' | 'answered-yes' | 'answered-partly' | 'expired' | 'rejected';
  category: string;
  title: Record<Lang, string>;
  body: Record<Lang, string>;
  response?: Record<Lang, string>;
  reason?: Record<Lang, string>;
}

export const DEMO_CATEGORIES: { slug: string; names: Record<string, string> }[] = [
  { slug: 'roads', names: { uk: 'Дороги і транспорт', 'sr-Cyrl': 'Путеви и превоз', 'sr-Latn': 'Putevi i prevoz', pl: 'Drogi i transport', en: 'Roads and transport' } },
  { slug: 'environment', names: { uk: 'Довкілля і парки', 'sr-Cyrl': 'Животна средина и паркови', 'sr-Latn': 'Životna sredina i parkovi', pl: 'Środowisko i parki', en: 'Environment and parks' } },
  { slug: 'education', names: { uk: 'Освіта і культура', 'sr-Cyrl': 'Образовање и култура', 'sr-Latn': 'Obrazovanje i kultura', pl: 'Edukacja i kultura', en: 'Education and culture' } },
  { slug: 'housing', names: { uk: 'Житло і комунальні послуги', 'sr-Cyrl': 'Становање и комуналне услуге', 'sr-Latn': 'Stanovanje i komunalne usluge', pl: 'Mieszkalnictwo i usługi komunalne', en: 'Housing and utilities' } },
];

export const DEMO_PETITIONS: DemoPetition[] = [
  { plan: 'open-near', category: 'roads',
    title: { uk: 'Облаштувати велодоріжку від центру до залізничного вокзалу', sr: 'Изградити бициклистичку стазу од центра до железничке станице', pl: 'Wybudować drogę rowerową z centrum na dworzec kolejowy' },
    body: { uk: 'Щодня сотні мешканців їздять до вокзалу велосипедом узбіччям разом з вантажівками.\n\nПросимо раду передбачити в бюджеті наступного року окрему велодоріжку вздовж головної вулиці та освітлення на ній.', sr: 'Сваког дана стотине суграђана иде бициклом до станице ивицом пута, заједно са камионима.\n\nМолимо скупштину да у буџету за следећу годину предвиди посебну бициклистичку стазу дуж главне улице и њено осветљење.', pl: 'Codziennie setki mieszkańców jeżdżą rowerem na dworzec poboczem, razem z ciężarówkami.\n\nProsimy radę o zaplanowanie w przyszłorocznym budżecie wydzielonej drogi rowerowej wzdłuż głównej ulicy wraz z oświetleniem.' } },
  { plan: 'open-early', category: 'environment',
    title: { uk: 'Висадити дерева на новому житловому масиві', sr: 'Засадити дрвеће у новом стамбеном насељу', pl: 'Posadzić drzewa na nowym osiedlu' },
    body: { uk: 'На новому масиві немає жодного дерева, влітку там неможливо гуляти з дітьми.\n\nПропонуємо висадити щонайменше 200 дерев місцевих порід і доручити комунальному підприємству догляд за ними.', sr: 'У новом насељу нема ниједног дрвета, лети се ту не може шетати са децом.\n\nПредлажемо да се засади најмање 200 стабала аутохтоних врста и да се јавном предузећу повери брига о њима.', pl: 'Na nowym osiedlu nie ma ani jednego drzewa, latem nie da się tam spacerować z dziećmi.\n\nProponujemy posadzenie co najmniej 200 drzew rodzimych gatunków i powierzenie opieki nad nimi spółce komunalnej.' } },
  { plan: 'awaiting', category: 'education',
    title: { uk: 'Продовжити години роботи бібліотеки до 20:00', sr: 'Продужити радно време библиотеке до 20 часова', pl: 'Wydłużyć godziny otwarcia biblioteki do 20:00' },
    body: { uk: 'Бібліотека зачиняється о 17:00, коли більшість людей ще на роботі.\n\nПросимо продовжити роботу читального залу до 20:00 у будні та відкрити його в суботу.', sr: 'Библиотека се затвара у 17 часова, када је већина људи још на послу.\n\nМолимо да читаоница ради до 20 часова радним данима и да буде отворена суботом.', pl: 'Biblioteka zamyka się o 17:00, gdy większość ludzi jest jeszcze w pracy.\n\nProsimy o otwarcie czytelni do 20:00 w dni robocze oraz w soboty.' } },
  { plan: 'awaiting-overdue', category: 'housing',
    title: { uk: 'Встановити лічильники тепла в будинках на вулиці Садовій', sr: 'Уградити мераче топлоте у зградама у Улици Вука Караџића', pl: 'Zamontować liczniki ciepła w blokach przy ulicy Ogrodowej' },
    body: { uk: 'Мешканці платять за тепло за площею, хоча частина квартир утеплена.\n\nПросимо встановити будинкові лічильники тепла за програмою енергоефективності.', sr: 'Станари плаћају грејање по квадратури, иако је део станова утопљен.\n\nМолимо да се кроз програм енергетске ефикасности уграде мерачи топлоте у зградама.', pl: 'Mieszkańcy płacą za ciepło według powierzchni, choć część mieszkań jest ocieplona.\n\nProsimy o montaż liczników ciepła w budynkach w ramach programu efektywności energetycznej.' } },
  { plan: 'answered-yes', category: 'roads',
    title: { uk: 'Облаштувати пішохідний перехід біля школи № 2', sr: 'Обележити пешачки прелаз код основне школе', pl: 'Wyznaczyć przejście dla pieszych przy szkole podstawowej nr 2' },
    body: { uk: 'Діти щоранку перебігають дорогу там, де немає переходу.\n\nПросимо облаштувати освітлений пішохідний перехід зі штучною нерівністю.', sr: 'Деца свако јутро претрчавају улицу тамо где нема прелаза.\n\nМолимо да се обележи осветљен пешачки прелаз са успоривачем брзине.', pl: 'Dzieci codziennie rano przebiegają przez jezdnię tam, gdzie nie ma przejścia.\n\nProsimy o wyznaczenie oświetlonego przejścia dla pieszych z progiem zwalniającym.' },
    response: { uk: 'Рада підтримала петицію. Перехід з освітленням і штучною нерівністю облаштують до 1 вересня; роботи включено до плану ремонту доріг.', sr: 'Скупштина је подржала петицију. Прелаз са осветљењем и успоривачем биће обележен до 1. септембра; радови су уврштени у план одржавања путева.', pl: 'Rada poparła petycję. Przejście z oświetleniem i progiem zwalniającym zostanie wyznaczone do 1 września; prace wpisano do planu remontów dróg.' } },
  { plan: 'answered-partly', category: 'environment',
    title: { uk: 'Заборонити спалювання листя в межах громади', sr: 'Забранити паљење лишћа на територији општине', pl: 'Zakazać spalania liści na terenie gminy' },
    body: { uk: 'Щоосені місто затягує димом від спалювання листя.\n\nПросимо заборонити спалювання та організувати вивезення листя на компостування.', sr: 'Сваке јесени град прекрије дим од паљења лишћа.\n\nМолимо да се паљење забрани и организује одвожење лишћа на компостирање.', pl: 'Każdej jesieni miasto spowija dym z palenia liści.\n\nProsimy o zakaz spalania i zorganizowanie wywozu liści do kompostowni.' },
    response: { uk: 'Підтримано частково: правила благоустрою доповнено забороною спалювання, а безкоштовне вивезення листя діятиме у жовтні й листопаді. Компостувальний майданчик планується наступного року.', sr: 'Делимично подржано: одлука о комуналном реду допуњена је забраном паљења, а бесплатно одвожење лишћа биће организовано у октобру и новембру. Компостиште се планира следеће године.', pl: 'Poparta częściowo: regulamin utrzymania czystości uzupełniono o zakaz spalania, a bezpłatny odbiór liści będzie działał w październiku i listopadzie. Kompostownię zaplanowano na przyszły rok.' } },
  { plan: 'expired', category: 'education',
    title: { uk: 'Відкрити басейн при спортивній школі для всіх мешканців', sr: 'Отворити базен спортске школе за све грађане', pl: 'Udostępnić basen szkoły sportowej wszystkim mieszkańcom' },
    body: { uk: 'Басейн спортивної школи вечорами стоїть порожній.\n\nПропонуємо відкрити його для мешканців за символічну плату.', sr: 'Базен спортске школе увече стоји празан.\n\nПредлажемо да се отвори за грађане уз симболичну надокнаду.', pl: 'Basen szkoły sportowej wieczorami stoi pusty.\n\nProponujemy udostępnienie go mieszkańcom za symboliczną opłatą.' } },
  { plan: 'rejected', category: 'housing',
    title: { uk: 'Звільнити всіх мешканців від плати за вивезення сміття', sr: 'Ослободити све грађане плаћања одвоза смећа', pl: 'Zwolnić wszystkich mieszkańców z opłat za wywóz śmieci' },
    body: { uk: 'Плата за сміття занадто висока. Просимо скасувати її для всіх.', sr: 'Накнада за смеће је превисока. Молимо да се укине за све.', pl: 'Opłata za śmieci jest za wysoka. Prosimy o jej zniesienie dla wszystkich.' },
    reason: { uk: 'Тарифи на вивезення відходів установлює не рада, а регулятор за законом; петиція не стосується повноважень ради. Пільги для окремих категорій мешканців можна запропонувати окремою петицією.', sr: 'Цене одвоза отпада не утврђује скупштина, већ надлежни регулатор по закону; петиција није у надлежности скупштине. Олакшице за поједине категорије грађана могу се предложити посебном петицијом.', pl: 'Stawek za odbiór odpadów nie ustala rada w sposób dowolny, lecz zgodnie z ustawą; petycja wykracza poza kompetencje rady. Ulgi dla wybranych grup mieszkańców można zaproponować w osobnej petycji.' } },
  { plan: 'moderation', category: 'roads',
    title: { uk: 'Пустити автобус до садових ділянок у вихідні', sr: 'Увести аутобуску линију до викенд насеља', pl: 'Uruchomić autobus do ogródków działkowych w weekendy' },
    body: { uk: 'Літні люди не можуть дістатися до своїх ділянок без автобуса.\n\nПросимо запустити рейс у суботу й неділю вранці та ввечері.', sr: 'Старији суграђани не могу да стигну до својих плацева без аутобуса.\n\nМолимо да се уведе полазак суботом и недељом ујутру и увече.', pl: 'Starsi mieszkańcy nie mają jak dojechać na działki bez autobusu.\n\nProsimy o kursy w soboty i niedziele rano i wieczorem.' } },
  { plan: 'draft', category: 'environment',
    title: { uk: 'Встановити контейнери для роздільного збору скла', sr: 'Поставити контејнере за одвојено сакупљање стакла', pl: 'Ustawić pojemniki na szkło' },
    body: { uk: 'Чернетка: зібрати адреси дворів, де потрібні контейнери.', sr: 'Нацрт: прикупити адресе дворишта где су потребни контејнери.', pl: 'Szkic: zebrać adresy podwórek, gdzie potrzebne są pojemniki.' } },
];

const FIRST: Record<Lang, string[]> = {
  uk: ['Андрій', 'Оксана', 'Ігор', 'Наталія', 'Тарас', 'Ірина', 'Юрій', 'Галина', 'Степан', 'Леся', 'Роман', 'Христина'],
  sr: ['Милан', 'Јелена', 'Никола', 'Ивана', 'Марко', 'Драгана', 'Стефан', 'Милица', 'Душан', 'Ана', 'Зоран', 'Бојана'],
  pl: ['Piotr', 'Anna', 'Krzysztof', 'Magdalena', 'Tomasz', 'Agnieszka', 'Paweł', 'Katarzyna', 'Marek', 'Joanna', 'Jakub', 'Ewa'],
};
const LAST: Record<Lang, string[]> = {
  uk: ['Коваль', 'Мельник', 'Бойко', 'Кравчук', 'Олійник', 'Лисенко', 'Гуменюк', 'Савчук', 'Дячук', 'Костів'],
  sr: ['Јовановић', 'Петровић', 'Николић', 'Марковић', 'Ђорђевић', 'Стојановић', 'Илић', 'Станковић', 'Павловић', 'Милошевић'],
  pl: ['Nowak', 'Wiśniewski', 'Wójcik', 'Kamiński', 'Lewandowski', 'Zieliński', 'Szymański', 'Dąbrowski', 'Kozłowski', 'Mazur'],
};

const CYR: Record<string, string> = { А: 'A', Б: 'B', В: 'V', Г: 'G', Д: 'D', Ђ: 'Đ', Е: 'E', Ж: 'Ž', З: 'Z', И: 'I', Ј: 'J', К: 'K', Л: 'L', Љ: 'Lj', М: 'M', Н: 'N', Њ: 'Nj', О: 'O', П: 'P', Р: 'R', С: 'S', Т: 'T', Ћ: 'Ć', У: 'U', Ф: 'F', Х: 'H', Ц: 'C', Ч: 'Č', Џ: 'Dž', Ш: 'Š' };
for (const [k, v] of Object.entries(CYR)) CYR[k.toLowerCase()] = v.toLowerCase();
const toLatin = (s: string) => Array.from(s, (c) => CYR[c] ?? c).join('');

/** The demo language of a municipality's default locale, and how to write it. */
export function demoText(locale: string) {
  const lang: Lang = locale === 'uk' ? 'uk' : locale === 'pl' ? 'pl' : 'sr';
  const script = locale === 'sr-Latn' ? toLatin : (s: string) => s;
  return {
    text: (t: Record<Lang, string>) => script(t[lang]),
    name: (i: number) => script(`${FIRST[lang][i % FIRST[lang].length]} ${LAST[lang][Math.floor(i / FIRST[lang].length) % LAST[lang].length]}`),
  };
}
