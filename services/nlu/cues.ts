import { fold } from './normalise.js';
import { WORD_CLASSES } from './vocabulary.js';

/**
 * The cue words of the entity-first reading (reader.ts), by what they signal. Role words (roleWords.ts) are
 * recognised in every form: a base ("ägar", "stedfortred") followed by any ending people inflect it with ("-e",
 * "-en", "-arna", "-arane", "-erne", "-s"), alone or at the end of a compound ("it-systemägaren",
 * "verksamhetssystemägare").
 * All words here are folded (fold()): "ersättare", "ersattare" and "ERSÄTTARE" are one word.
 */

/** Words for one's roles: "mina roller", "kva roller har eg", "my responsibilities". */
// prettier-ignore
export const ROLES_WORDS = new Set([
  'roll', 'roller', 'rollerna', 'rollen', 'rolle', 'rollene', 'rollane', 'roles', 'role', 'uppdrag',
  'ansvarsomraden', 'ansvarsomrade', 'responsibilities', 'assignments', 'ansvarsområder', 'ansvarsomrader',
  'verv', 'oppgaver', 'oppgaver', 'oppgåver',
].map((w) => fold(w)));

/** English words for kinds of system, with the Scandinavian stems the register's aliases use. */
// prettier-ignore
export const NAME_GLOSSARY: ReadonlyMap<string, readonly string[]> = new Map([
  ['library', ['bibliotek']], ['intranet', ['intranät', 'intranett']], ['archive', ['arkiv']],
  ['archives', ['arkiv']], ['payroll', ['lön', 'løn', 'lønn']], ['salary', ['lön', 'løn', 'lønn']],
  ['finance', ['ekonomi', 'økonomi']], ['accounting', ['ekonomi', 'økonomi']], ['map', ['kart']],
  ['maps', ['kart']], ['website', ['webb', 'nettside']], ['web', ['webb']], ['budget', ['budget', 'budsjett']],
  ['procurement', ['upphandling', 'anbod', 'anbud']], ['diary', ['diari']], ['journal', ['journal']],
  ['records', ['journal']], ['kindergarten', ['barnehage', 'förskola']], ['preschool', ['förskola', 'barnehage']],
  ['school', ['skol', 'skule', 'skole']], ['rota', ['turnus', 'schema']], ['schedule', ['schema', 'turnus']],
  ['scheduling', ['schema', 'turnus']], ['alarm', ['larm']], ['alarms', ['larm']], ['incident', ['avvik']],
  ['incidents', ['avvik']], ['deviations', ['avvik']], ['permits', ['bygglov', 'byggesak']],
  ['medication', ['läkemedel', 'legemiddel']], ['childcare', ['barnomsorg', 'barnehage']],
  ['welfare', ['barnevern']], ['case', ['sak', 'ärende']], ['cases', ['sak', 'ärende']],
  ['invoices', ['faktura']], ['helpdesk', ['ärendesystem', 'brukarstøtte']],
  // HR in all four languages: a name may say "HRM", "personal" or only the payroll ("lön", "lønn").
  ['hr', ['hrm', 'personal', 'lön', 'løn', 'lønn']], ['personal', ['hr', 'hrm', 'lön', 'løn', 'lønn']],
  ['personell', ['hr', 'hrm', 'personal', 'løn', 'lønn']], ['personnel', ['hr', 'hrm', 'personal', 'lön', 'løn', 'lønn']],
]);

/** The single words of some lists, folded; phrases ("kven er det som") are left out, their words are no cue. */
function set(...lists: readonly (readonly string[])[]): ReadonlySet<string> {
  return new Set(lists.flat().flatMap((w) => (/\s/.test(w.trim()) ? [] : [fold(w.trim())])));
}

/** Question words: what makes a message a question rather than a remark. */
// prettier-ignore
export const QUESTION_WORDS = set(WORD_CLASSES.WHO!, WORD_CLASSES.WHAT!, WORD_CLASSES.HOW!, [
  'vem', 'vilka', 'kven', 'kvem', 'hvem', 'who', 'whos', 'whose', 'which', 'vems', 'kven sin', 'kem',
]);

/** "without", "missing", "saknar", "manglar": a gap in the register when said of a role. */
// prettier-ignore
export const GAP_WORDS = set([
  'utan', 'uten', 'without', 'saknar', 'saknas', 'manglar', 'mangler', 'mangla', 'manglande', 'manglende',
  'missing', 'lacking', 'lack', 'lacks', 'ingen', 'inga', 'inget', 'no', 'none', 'inte', 'ikkje', 'ikke',
  'not', 'ingen', 'ingi', 'inkje', 'utan', 'saknade', 'saknad', 'mangel', 'tom', 'tomma', 'unassigned',
  'vakant', 'vakanta', 'lack', 'nobody', 'noone', 'dont', 'doesnt', 'havent', 'hasnt', 'don', 'doesn', 'haven',
  'hasn',
]);

/**
 * Someone away: "kven steppar inn når fagsystemansvarleg er borte", "who covers when the owner is on leave". A role
 * named with one of these asks for whoever stands in: the deputy.
 */
// prettier-ignore
export const ABSENCE_WORDS = set([
  'borte', 'borta', 'away', 'absent', 'frånvarande', 'fråverande', 'fraværende', 'sjuk', 'sjukskriven',
  'sjukmeld', 'sjukmeldt', 'syk', 'sykmeldt', 'sick', 'ill', 'ferie', 'semester', 'vacation', 'holiday',
  'permisjon', 'tjänstledig', 'tenestefri', 'tjenestefri', 'ledig', 'föräldraledig',
  'foreldrepermisjon', 'bortrest', 'unavailable', 'otillgänglig', 'utilgjengeleg', 'utilgjengelig',
]);

/** Heads of something: with the IT unit named ("chef för IT-enheten") they are the IT manager. */
// prettier-ignore
export const HEAD_WORDS = set([
  'chef', 'chefen', 'sjef', 'sjefen', 'leiar', 'leiaren', 'leder', 'lederen', 'head', 'manager', 'boss',
  'ansvarig', 'ansvarleg', 'ansvarlig', 'föreståndare',
]);

/** Moving roles from one person to another: "flytt alle rollene hennar over til Eirik", "transfer Anna's roles to". */
export const HANDOVER_WORDS = set(WORD_CLASSES.CARE_HANDOVER!, [
  'flytta',
  'flytte',
  'flytt',
  'move',
  'ge',
  'gi',
  'give',
  'över',
  'over',
  'lämna',
  'overta',
  'ta',
  'take',
]);
/** "till / til / to": the receiving end of a handover. */
export const TO_WORDS = set(WORD_CLASSES.CARE_TO!);

/** Words that name systems as a kind: "vilka system", "fagsystema", "systems". */
export const SYSTEMS_WORDS = set(WORD_CLASSES.SYSTEMS!, [
  'systemlista',
  'systemlistan',
  'systemliste',
  'systemlisten',
  'systemlista',
  'systemregister',
  'systemregistret',
  'systemregisteret',
  'systemoversikt',
  'systemöversikt',
  'systemöversikten',
  'systemoversikten',
  'systemoversikta',
  'systemkartan',
  'systemkartet',
  'systemet',
  'systema',
  'systemene',
  'systemen',
  'fagsystema',
  'fagsystemene',
  'fagsystemet',
  'tjenester',
  'verksamhetssystemen',
  'program',
  'programs',
  'apps',
  'applikasjonar',
  'applikasjoner',
]);

/** "list", "alla", "oversikt": asking for a list. */
export const LIST_WORDS = set(WORD_CLASSES.SHOW!, WORD_CLASSES.ALL!, [
  'lista',
  'list',
  'liste',
  'listen',
  'listan',
  'lage',
  'oversikt',
  'oversikten',
  'overview',
  'alle',
  'samtliga',
  'samtlige',
  'kva',
  'vad',
  'hva',
  'what',
  'which',
  'vilka',
  'hvilke',
  'kva for',
  'finns',
  'finst',
  'fins',
  'finnes',
  'are',
  'any',
  'some',
  'nokre',
  'noen',
  'några',
]);

/** Needing or asking for something for oneself: "jag behöver", "eg treng", "I need", "jeg vil ha". */
export const NEED_WORDS = set(WORD_CLASSES.NEED!, WORD_CLASSES.REQUEST_VERB!, [
  'beöver',
  'behover',
  'trenger',
  'treng',
  'skulle',
  'önskar',
  'onskar',
  'ønskjer',
  'ønsker',
  'søkje',
  'søke',
  'söka',
  'ansöka',
  'apply',
  'request',
  'requesting',
  'bestille',
  'beställa',
]);

/** Asking about a system without a role: "tell me about", "berätta om", "info om", "kva veit du om". */
// prettier-ignore
export const ABOUT_WORDS = set([
  'about', 'om', 'info', 'information', 'informasjon', 'berätta', 'fortel', 'fortell', 'tell', 'details',
  'detaljer', 'vet', 'veit', 'know', 'visa', 'show', 'vis', 'syn', 'kortet', 'card', 'who', 'vem', 'kven',
  'hvem', 'fråga', 'spørje', 'spørre', 'ask', 'kontakta', 'kontakte', 'contact', 'vända', 'vende', 'turn',
  'snakke', 'snakka', 'prata', 'talk',
]);

/**
 * Leaving a role: "slutar som superanvändare", "sluttar som superbrukar", "I'm leaving as super user", "resign as
 * owner". With "som / as / vara / be" before a role of a system, the one who writes steps down from it (an end of
 * that role, register care), not a question about who holds it. "step down", "gå av" are read as phrases.
 */
// prettier-ignore
export const LEAVE_WORDS = set([
  'sluta', 'slutar', 'slutat', 'slutte', 'sluttar', 'slutter', 'slutta', 'avgå', 'avgår', 'fratre', 'fratrer',
  'fråtre', 'fråtrer', 'leave', 'leaving', 'leaves', 'quit', 'quitting', 'quits', 'resign', 'resigning',
  'resigns',
]);
/** The first word of a leaving phrase whose second word is `LEAVE_SECOND` ("step down", "gå av", "kliver av"). */
export const LEAVE_FIRST = set([
  'step',
  'stepping',
  'steps',
  'gå',
  'går',
  'kliva',
  'kliver',
  'kliv',
  'trer',
  'tre',
]);
export const LEAVE_SECOND = set(['down', 'av', 'ut']);
/** Before a role word, saying the role is one's own ("som ersättare", "as owner", "å vere superbrukar"). */
export const AS_WORDS = set(['som', 'as', 'vara', 'vere', 'vera', 'være', 'be', 'being']);

/** Words of request change: a change or an end of access rather than new access. */
export const STOP_WORDS = set(WORD_CLASSES.STOP!, [
  'stäng',
  'stänga',
  'close',
  'steng',
  'stenge',
  'stengje',
  'deaktivera',
  'deaktiver',
  'bort',
  'disable',
  'delete',
  'ta bort',
  'fjerna',
  'sperra',
  'spärra',
]);
// prettier-ignore
export const CHANGE_WORDS = set(WORD_CLASSES.CHANGE!, WORD_CLASSES.CHANGED!, [
  'utvidet', 'utvida', 'utvidede', 'utvida', 'utökad', 'utökade', 'utöka', 'mer', 'meir', 'more', 'extended',
  'extra', 'ytterligare', 'fler', 'flere', 'fleire', 'other', 'justera', 'justere', 'upgrade', 'uppgradera',
  'oppgradere', 'höjd', 'høgare', 'høyere', 'higher', 'bredare', 'breiare', 'bredere', 'wider',
  // Passive: "kan min behörighet i X ändras?", "kan tilgangen min endrast?".
  'ändras', 'utökas', 'justeras', 'endrast', 'endres', 'utvidast', 'utvides', 'justerast', 'justeres',
]);

/** Who and how: "who can give me access" asks for a person, "how do I get access" for one too; no request. */
export const WHO_WORDS = set([
  'who',
  'whom',
  'whos',
  'vem',
  'vems',
  'kven',
  'hvem',
  'how',
  'hur',
  'korleis',
  'hvordan',
]);
/** "kan jag få", "can I get": asking to be given something. */
export const GET_WORDS = set(['få', 'fa', 'get', 'faa', 'receive', 'have', 'ha', 'gis', 'given']);
/** The asker's own: "min beställning", "søknaden min", "my request". */
export const MY_WORDS = set(WORD_CLASSES.MY!, ['mitt', 'mina', 'mine', 'mi', 'mine', 'my', 'min']);
/** The asker: "väntar på mig", "waiting for me". */
export const SELF_WORDS = set(WORD_CLASSES.SELF!, ['mig', 'meg', 'me', 'jag', 'eg', 'jeg']);
/** Requests as things: "ärenden", "saker", "søknaden", "my order". */
// prettier-ignore
export const REQUEST_WORDS = set(WORD_CLASSES.REQUESTS!, [
  'beställning', 'beställningen', 'beställningar', 'beställningarna', 'bestilling', 'bestillinga', 'bestillingen',
  'bestillingar', 'bestillinger', 'søknad', 'søknaden', 'søknadene', 'ärendet', 'ärendena', 'ärende', 'saka',
  'saken', 'sak', 'tickets', 'ticket', 'applications', 'application', 'orders', 'förfrågan', 'førespurnaden',
  'forespørselen', 'forespørsel', 'ansökan', 'ansökningen', 'requests', 'request',
]);
/** Open or waiting, of requests: "öppna ärenden", "saker som har ligget". */
export const OPEN_WORDS = set(WORD_CLASSES.OPEN!, WORD_CLASSES.WAITED!, [
  'legat',
  'lege',
  'ligget',
  'ligg',
  'ligger',
  'liggande',
  'pending',
  'open',
  'opne',
  'åpne',
  'öppna',
  'oppe',
  'öppen',
  'open',
  'uavklara',
  'ubehandla',
  'ubehandlede',
  'obehandlade',
  'unhandled',
  'stuck',
]);
/** Waiting on the asker: "väntar på mitt godkännande", "ventar på godkjenninga mi". */
export const WAITING_WORDS = set(WORD_CLASSES.WAITING!, [
  'väntar',
  'ventar',
  'venter',
  'awaiting',
  'waiting',
  'waits',
]);
export const APPROVAL_WORDS = set([
  'godkännande',
  'godkännandet',
  'godkjenning',
  'godkjenninga',
  'godkjenningen',
  'approval',
  'approvals',
  'beslut',
  'avgjerd',
  'avgjørelse',
  'decision',
  'attest',
  'attestering',
]);
/** Approving as a verb: "er det noko eg må godkjenne", "anything I need to approve". */
// prettier-ignore
export const APPROVE_WORDS = set([
  'godkänna', 'godkänn', 'godkjenne', 'godkjenna', 'godkjenn', 'approve', 'attestera', 'attestere', 'sign off',
]);
/** Day and week words after a number: "5 dagar", "en uke", "two weeks". */
export const DAY_WORDS = set(WORD_CLASSES.DAYS!, ['døgn', 'dygn', 'dagen', 'dagane', 'dagene']);
export const WEEK_WORDS = set(['vecka', 'veckor', 'veckan', 'uke', 'uker', 'veke', 'veker', 'week', 'weeks']);
/** The hygiene check named by its verb and object: "sjekk registeret", "check the register". */
export const CHECK_WORDS = set(WORD_CLASSES.CHECK_VERB!, [
  'sjekke',
  'sjekk',
  'kontrollere',
  'gå gjennom',
  'granske',
  'kontroll',
  'kontrollen',
  'granska',
  'granskning',
  'gjennomgang',
  'review',
  'audit',
]);
/** Equipment as things one holds: "vilken utrustning står på mig", "kva utstyr har oppvekst". */
export const EQUIPMENT_WORDS = set(WORD_CLASSES.ORDER_OBJECT!, ['grejer']);
/** "registrerad på mig", "registered to Teknisk". */
export const REGISTERED_WORDS = set(WORD_CLASSES.REGISTERED!);
export const REGISTER_WORDS = set(WORD_CLASSES.REGISTER_NOUN!, [
  'registeret',
  'registret',
  'registry',
  'register',
]);
/** Register care: first words that assign a role or change an entry. */
// prettier-ignore
export const CARE_ASSIGN_WORDS = set(WORD_CLASSES.CARE_MAKE!, [
  'add', 'lägg', 'legg', 'sätt', 'satt', 'sett', 'set', 'make', 'gör', 'gjer', 'gjør', 'appoint', 'utse',
  'utnämn', 'utnemn', 'registrera', 'registrer', 'put', 'assign', 'tilldela', 'tildel', 'nominate', 'lägga',
  'legge', 'leggje', 'sätta', 'setje', 'sette', 'göra', 'gjere', 'gjøre', 'byt', 'byta', 'byte', 'bytt',
  'replace', 'ersätt', 'erstatt', 'erstatte',
]);
export const CARE_EDIT_WORDS = set(WORD_CLASSES.CARE_EDIT!);
/** Asking for help: a greeting with one of these asks for help, not only says hello. */
export const HELP_WORDS = set(WORD_CLASSES.HELP!, ['hjälpa', 'hjelpe', 'hjelpa', 'assist']);
export const GREETING_WORDS = set(WORD_CLASSES.GREETING!, [
  'hei',
  'hej',
  'hello',
  'hi',
  'hey',
  'hallo',
  'hallå',
  'heisann',
  'hejsan',
  'morn',
  'morna',
  'tjena',
  'tja',
]);

/**
 * Words that carry no name: the grammar's words, pronouns, small talk. A run of them is never searched as a
 * system name; a word of a system's own name or alias still matches exactly.
 */
// prettier-ignore
export const FILLER_WORDS = new Set([
  // The ends of thanks and greetings at the end of a message: "thanks in advance", "takk på forhånd".
  ...['står', 'stod', 'tillhör', 'tilhører', 'høyrer', 'belongs', 'belong', 'advance', 'förhand', 'forhånd', 'førehand', 'hälsningar', 'hälsning', 'helsing', 'hilsen', 'regards', 'mvh', 'cheers', 'pls', 'plz', 'tusen', 'stort'].map((w) => fold(w)),
  ...Object.values(WORD_CLASSES).flatMap((words) => words.flatMap((w) => fold(w).split(/\s+/))),
  ...set(
  [
    'jag', 'du', 'ni', 'vi', 'han', 'hon', 'den', 'det', 'de', 'dem', 'oss', 'er', 'eg', 'me', 'dykk', 'dei',
    'deg', 'dig', 'you', 'we', 'they', 'it', 'its', 'this', 'that', 'these', 'those', 'there', 'here',
    'and', 'or', 'but', 'och', 'eller', 'men', 'og', 'elles', 'so', 'så', 'also', 'också', 'også', 'og',
    'hej', 'hei', 'hallo', 'hello', 'hi', 'hey', 'tack', 'takk', 'thanks', 'thank', 'please', 'snälla',
    'vänligen', 'venleg', 'vennligst', 'gärna', 'gjerne', 'kindly', 'pls', 'plz', 'mvh', 'hilsen', 'helsing',
    'undrar', 'lurer', 'lurar', 'wonder', 'wondering', 'wondered', 'fråga', 'question', 'spørsmål',
    'undra', 'säga', 'seie', 'si', 'say', 'tell', 'berätta', 'fortelje', 'fortelle', 'fortell', 'vet',
    'veit', 'vite', 'know', 'knows', 'kunna', 'kunne', 'could', 'would', 'will', 'can', 'kan', 'ska',
    'skal', 'shall', 'should', 'måste', 'må', 'must', 'behöver', 'treng', 'trenger', 'need', 'needs',
    'egentligen', 'eigentleg', 'egentlig', 'actually', 'really', 'just', 'bara', 'berre', 'bare', 'only',
    'nu', 'no', 'nå', 'now', 'idag', 'i dag', 'today', 'currently', 'för närvarande', 'nåverande',
    'nuvarande', 'current', 'noverande', 'nåværende', 'gäller', 'gjeld', 'gjelder', 'regarding',
    'angående', 'ang', 'om', 'about', 'på', 'for', 'för', 'til', 'till', 'to', 'of', 'av', 'in', 'i',
    'on', 'at', 'hos', 'med', 'with', 'from', 'från', 'frå', 'fra', 'by', 'som', 'who', 'whom', 'which',
    'that', 'vem', 'kven', 'hvem', 'vad', 'kva', 'hva', 'what', 'vilken', 'vilket', 'vilka', 'hvilken',
    'hvilket', 'hvilke', 'kva for', 'korleis', 'hvordan', 'hur', 'how', 'is', 'are', 'was', 'were', 'be',
    'är', 'var', 'er', 'vart', 'vore', 'blir', 'blei', 'ble', 'har', 'hev', 'have', 'has', 'had', 'hade',
    'hadde', 'do', 'does', 'did', 'gör', 'gjer', 'gjør', 'the', 'a', 'an', 'en', 'ett', 'ein', 'eit', 'ei',
    'någon', 'nokon', 'noen', 'något', 'noko', 'noe', 'några', 'nokre', 'any', 'some', 'someone', 'somebody',
    'anyone', 'person', 'personen', 'people', 'folk', 'mig', 'meg', 'my', 'mine', 'min', 'mitt', 'mina',
    'mi', 'vår', 'vårt', 'våra', 'våre', 'our', 'your', 'din', 'ditt', 'dina', 'dine', 'kommun', 'kommunen',
    'kommune', 'organisation', 'organisasjon', 'organisationen', 'organisasjonen', 'system', 'systemet',
    'fagsystem', 'fagsystemet', 'programmet', 'appen', 'tjänsten', 'tenesta', 'tjenesten', 'ok', 'okej',
    'okay', 'bra', 'fint', 'flott', 'great', 'good', 'nice', 'kul', 'hm', 'hmm', 'eh', 'öh', 'ja', 'nej',
    'nei', 'yes', 'jo', 'hjälp', 'hjelp', 'help', 'snabbt', 'fort', 'quick', 'quickly', 'kort', 'briefly',
    'igen', 'igjen', 'again', 'ansvar', 'ansvaret', 'hand', 'handa', 'charge', 'går', 'gå', 'get', 'få',
    'got', 'fick', 'fikk', 'där', 'der', 'här', 'her', 'sen', 'sedan', 'then', 'när', 'når', 'when', 'why',
    'varför', 'kvifor', 'hvorfor', 'if', 'om', 'kanske', 'kanskje', 'maybe', 'perhaps', 'än', 'enn',
    'than', 'very', 'mycket', 'mykje', 'mye', 'much', 'lite', 'litt', 'little', 'bit', 'quite', 'ganska',
    'nokså', 'ganske', 'dag', 'day', 'morgon', 'morgen', 'morning', 'kollega', 'kollegor', 'kollegaer',
    'colleague', 'chef', 'sjef', 'boss', 'manager', 'leiar', 'leder', 'team', 'jobb', 'job', 'work',
    'arbete', 'arbeid', 'måndag', 'monday', 'ny', 'nytt', 'nya', 'new', 'nye', 'gammal', 'gamle', 'old',
    'ens', 'alls', 'overhodet', 'heller', 'either', 'too', 'också', 'även', 'òg', 'au', 'tror', 'trur',
    'think', 'glömt', 'gløymt', 'glemt', 'forgot', 'forgotten', 'minns', 'husker', 'hugsar', 'remember',
    'vill', 'vil', 'want', 'wants', 'like', 'gillar', 'likar', 'liker', 'lika', 'same', 'samma', 'same',
    'opp', 'ut', 'fram', 'upp', 'whole', 'hele', 'heile', 'hela', 'entire', 'complete', 'full', 'fullständig',
  ]),
]);
