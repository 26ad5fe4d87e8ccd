import type { Language, Organisation, OrganisationRole, Role } from '../../data/model.js';
import type { SystemFocus } from '../responsibility/answers.js';

/**
 * The words of the domain, as data: default role labels per language, the role words people type (with inflected
 * and definite forms, from DOMAIN.md and the seed texts) and the marker words that tell the languages apart.
 * Everything the parser matches is written here with diacritics as people write them; matching folds both sides.
 * The word lists are packed several to a line (prettier-ignore): one word a line would bury them.
 */

export const DEFAULT_ROLE_LABELS: Record<Language, Record<Role, string>> = {
  sv: {
    owner: 'systemägare',
    administrator: 'systemansvarig',
    deputy: 'ersättare',
    super_user: 'superanvändare',
    it_coordinator: 'IT-samordnare',
    it_orderer: 'IT-beställare',
    security_officer: 'IT-säkerhetsansvarig',
    data_protection_officer: 'dataskyddsombud',
    it_manager: 'IT-chef',
    it_unit: 'IT-enhet',
  },
  nn: {
    owner: 'fagsystemeigar',
    administrator: 'fagsystemansvarleg',
    deputy: 'stedfortredar',
    super_user: 'superbrukar',
    it_coordinator: 'IKT-koordinator',
    it_orderer: 'IKT-bestillar',
    security_officer: 'tryggleiksansvarleg',
    data_protection_officer: 'personvernombod',
    it_manager: 'dagleg leiar',
    it_unit: 'IKT-teneste',
  },
  nb: {
    owner: 'systemeier',
    administrator: 'systemansvarlig',
    deputy: 'stedfortreder',
    super_user: 'superbruker',
    it_coordinator: 'IKT-koordinator',
    it_orderer: 'IKT-bestiller',
    security_officer: 'sikkerhetsansvarlig',
    data_protection_officer: 'personvernombud',
    it_manager: 'IT-sjef',
    it_unit: 'IT-avdeling',
  },
  en: {
    owner: 'system owner',
    administrator: 'system administrator',
    deputy: 'deputy',
    super_user: 'super user',
    it_coordinator: 'IT coordinator',
    it_orderer: 'IT orderer',
    security_officer: 'security officer',
    data_protection_officer: 'data protection officer',
    it_manager: 'IT manager',
    it_unit: 'IT unit',
  },
};

const NORWEGIAN: ReadonlySet<Language> = new Set(['nn', 'nb']);

/**
 * The label of a role in an answer. The organisation's own word wins when the answer is in the organisation's
 * language, or when both are Norwegian (a Bokmål reader knows the municipality's Nynorsk "fagsystemeigar"); an
 * answer in another language uses that language's default, since "systemägare" means nothing to an English reader.
 */
export function roleLabel(role: Role, language: Language, organisation?: Organisation): string {
  const own = organisation?.roleLabels?.[role];
  if (
    own !== undefined &&
    own.trim() !== '' &&
    (organisation!.language === language ||
      (NORWEGIAN.has(organisation!.language) && NORWEGIAN.has(language)))
  ) {
    return own;
  }
  return DEFAULT_ROLE_LABELS[language][role];
}

/**
 * Role words and role verbs, each naming the focus it asks for. Nouns appear after "who is" or on their own
 * ("super users of X"); verbs directly follow "who" ("who owns X"). Multi-word entries match as phrases.
 */
// prettier-ignore
export const ROLE_NOUNS: Record<SystemFocus, readonly string[]> = {
  owner: [
    'systemägare', 'systemägaren', 'systemägarna', 'ägare', 'ägaren', 'ägarna', 'fagsystemeigar',
    'fagsystemeigaren', 'fagsystemeigarar', 'fagsystemeigarane', 'systemeigar', 'systemeigaren', 'eigar',
    'eigaren', 'eigarar', 'eigarane', 'systemeier', 'systemeieren', 'systemeiere', 'systemeierne',
    'fagsystemeier', 'eier', 'eieren', 'eiere', 'eierne', 'owner', 'owners', 'system owner', 'system owners',
    'business owner',
  ],
  administrator: [
    'systemansvarig', 'systemansvariga', 'systemansvarige', 'systemadministratör', 'systemadministratören',
    'systemadministratörer', 'systemadministratörerna', 'systemförvaltare', 'systemförvaltaren',
    'systemförvaltarna', 'förvaltare', 'förvaltaren', 'administratör', 'administratören', 'administratörer',
    'fagsystemansvarleg', 'fagsystemansvarlege', 'systemansvarleg', 'systemansvarlege', 'systemansvarlig',
    'systemansvarlige', 'fagsystemansvarlig', 'systemadministrator', 'systemadministratoren',
    'administrator', 'administratoren', 'administrators', 'admin', 'admins', 'sysadmin',
    'system administrator', 'system administrators', 'system admin', 'system manager',
    // "ansvarig för X" is the Scandinavian "systemansvarig" cut short (the paraphrase corpus reads it so).
    'ansvarig', 'ansvariga', 'ansvarleg', 'ansvarlege', 'ansvarlig', 'ansvarlige',
  ],
  deputy: [
    'ersättare', 'ersättaren', 'ersättarna', 'vikarie', 'vikarien', 'stedfortredar', 'stedfortredaren',
    'stedfortredarar', 'stedfortredarane', 'vara', 'varaen', 'stedfortreder', 'stedfortrederen',
    'stedfortredere', 'stedfortrederne', 'deputy', 'deputies', 'deputy administrator', 'backup',
    'substitute', 'stand-in', 'ställföreträdare', 'ställföreträdaren', 'vikar', 'vikaren', 'varamann',
    'varamannen', 'varaperson', 'varapersonen',
    // Before another role word: "vice systemförvaltare", "biträdande systemägare" is the one standing in.
    'vice', 'biträdande', 'ställföreträdande', 'assisterande',
  ],
  super_user: [
    'superanvändare', 'superanvändaren', 'superanvändarna', 'nyckelanvändare', 'nyckelanvändaren',
    'nyckelanvändarna', 'superbrukar', 'superbrukaren', 'superbrukarar', 'superbrukarane', 'superbruker',
    'superbrukeren', 'superbrukere', 'superbrukerne', 'super user', 'super users', 'superuser', 'superusers',
    'power user', 'power users', 'key user', 'key users',
  ],
  supplier: [
    'leverantör', 'leverantören', 'leverantörens support', 'leverantörssupport', 'support', 'supporten',
    'kundtjänst', 'leverandør', 'leverandøren', 'leverandørens support', 'leverandørsupport', 'brukarstøtte',
    'brukerstøtte', 'kundestøtte', 'supplier', 'supplier support', 'vendor', 'vendor support',
    'supplier contact', 'provider', 'providers',
  ],
  access: [
    'behörighet', 'behörigheter', 'behörigheten', 'åtkomst', 'tilgang', 'tilgangar', 'tilganger',
    'tilgangen', 'tilgong', 'tilgongar', 'tilgjenge', 'access',
  ],
  all: [
    'responsible', 'kontakt',
    'kontaktperson', 'kontaktpersonen', 'contact', 'contact person', 'in charge',
  ],
};

/**
 * Words for the roles an organisation holds as a whole (DOMAIN.md's table and the seeds), with definite, plural and
 * unhyphenated forms. They follow "who is" or stand alone ("vem är dataskyddsombud", "IKT-bestillar for Oppvekst").
 */
// prettier-ignore
export const ORGANISATION_ROLE_NOUNS: Record<OrganisationRole, readonly string[]> = {
  it_coordinator: [
    'it-samordnare', 'it-samordnaren', 'it-samordnarna', 'it samordnare', 'itsamordnare', 'it-strateg',
    'it-strategen', 'ikt-koordinator', 'ikt-koordinatoren', 'ikt-koordinatorar', 'ikt-koordinatorane',
    'ikt-koordinatorer', 'ikt-koordinatorene', 'ikt koordinator', 'it-koordinator', 'it-koordinatoren',
    'it coordinator', 'it coordinators', 'ict coordinator', 'ict coordinators',
    // Spelt together or with a hyphen, as people type them.
    'itcoordinator', 'itcoordinators', 'it-coordinator', 'it-coordinators', 'ictcoordinator', 'itkoordinator',
    'itkoordinatorn', 'it-koordinatorn', 'it-koordinatorer', 'it-koordinatorerna', 'iktkoordinator',
    'ikt-koordinatorn', 'it koordinator', 'itsamordnaren',
  ],
  it_orderer: [
    'it-beställare', 'it-beställaren', 'it-beställarna', 'it beställare', 'beställare', 'beställaren',
    'beställarna', 'ikt-bestillar', 'ikt-bestillaren', 'ikt-bestillarar', 'ikt-bestillarane', 'ikt bestillar',
    'bestillar', 'bestillarar', 'bestillarane', 'ikt-bestiller', 'ikt-bestilleren', 'ikt-bestillere',
    'ikt-bestillerne', 'ikt bestiller', 'it-bestiller', 'it-bestillere', 'bestillere', 'bestillerne',
    'it orderer', 'it orderers', 'ict orderer', 'ict orderers', 'orderer', 'orderers',
  ],
  security_officer: [
    'it-säkerhetsansvarig', 'it-säkerhetsansvarige', 'säkerhetsansvarig', 'informationssäkerhetsansvarig',
    'tryggleiksansvarleg', 'tryggleiksansvarlege', 'sikkerheitsansvarleg', 'sikkerhetsansvarlig',
    'sikkerhetsansvarlige', 'it-sikkerhetsansvarlig', 'informasjonssikkerhetsansvarlig', 'security officer',
    'it security officer', 'information security officer', 'security officers', 'ciso',
  ],
  data_protection_officer: [
    'dataskyddsombud', 'dataskyddsombudet', 'pul-ombud', 'pul-ombudet', 'personuppgiftsombud',
    'personuppgiftsombudet', 'personvernombod', 'personvernombodet', 'personvernombud', 'personvernombudet',
    'data protection officer', 'data protection officers', 'dpo', 'privacy officer',
  ],
  it_manager: [
    'it-chef', 'it-chefen', 'it chef', 'datachef', 'datachefen', 'dagleg leiar', 'daglege leiaren',
    'it-leiar', 'it-leiaren', 'ikt-leiar', 'ikt-leiaren', 'it-sjef', 'it-sjefen', 'it sjef', 'ikt-sjef',
    'ikt-sjefen', 'it-leder', 'it-lederen', 'it manager', 'head of it', 'cio', 'it director',
  ],
  it_unit: [
    'it-enhet', 'it-enheten', 'it-avdelning', 'it-avdelningen', 'dataenhet', 'dataenheten',
    'ikt-tenesta', 'ikt-teneste', 'ikt-tenestene', 'it-tenesta', 'it-avdeling', 'it-avdelingen',
    'ikt-avdeling', 'ikt-avdelingen', 'ikt-tjenesten', 'it-tjenesten', 'it unit', 'it department',
    'ict service', 'it service', 'it services',
  ],
};

/** Verbs that ask for a role holder by what they do: "who may order for Oppvekst" asks for the IT orderers. */
// prettier-ignore
export const ORGANISATION_ROLE_VERBS: Partial<Record<OrganisationRole, readonly string[]>> = {
  it_orderer: [
    'order', 'orders', 'place orders', 'beställa', 'beställer', 'bestille', 'bestiller', 'bestilla', 'tinge',
    'tingar', 'tinga',
  ],
};

/** Role verbs in the past tense: "who owned X on 2025-03-01" asks about that day. */
// prettier-ignore
export const PAST_ROLE_VERBS: Partial<Record<SystemFocus, readonly string[]>> = {
  owner: ['owned', 'ägde', 'eigde', 'åtte', 'eide', 'eiet'],
  administrator: [
    'administered', 'managed', 'administrerade', 'förvaltade', 'administrerte', 'forvalta', 'forvaltet',
  ],
};

/** Numbers written as words, for quantities and day counts ("två skärmar", "to skjermer", "five days"). */
// prettier-ignore
export const NUMBER_WORDS: Readonly<Record<string, number>> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  två: 2, tre: 3, fyra: 4, fem: 5, sex: 6, sju: 7, åtta: 8, nio: 9, tio: 10,
  to: 2, fire: 4, seks: 6, åtte: 8, ni: 9, ti: 10,
};

// prettier-ignore
export const ROLE_VERBS: Partial<Record<SystemFocus, readonly string[]>> = {
  owner: [
    'äger', 'eig', 'eiger', 'eier', 'owns', 'own', 'decides about', 'decides on', 'bestämmer över',
    'bestemmer over', 'bestem over',
    // Passive: "ägs X av någon?", "kven eigast X av", "eies X av noen?".
    'ägs', 'eigast', 'eiges', 'eies',
  ],
  administrator: [
    'administrerar', 'administrerer', 'administers', 'administer', 'administrates', 'manages', 'förvaltar',
    'forvaltar', 'forvalter', 'sköter', 'runs', 'ansvarar', 'svarar', 'maintains', 'looks after', 'handles',
    'takes care of', 'tar seg av', 'tek seg av', 'drifter', 'driftar',
    'förvaltas', 'administreras', 'sköts', 'forvaltast', 'forvaltes', 'administrerast', 'administreres',
  ],
  /** Standing in: "who steps in for", "vem hoppar in för", "kven steppar inn". */
  deputy: [
    'backs up', 'steps in', 'fills in', 'hoppar in', 'hoppar inn', 'hopper inn', 'steppar inn', 'stepper inn',
  ],
};

/**
 * Word classes the intent patterns refer to by name (`{WHO}`), all lower-case and unfolded; the parser folds them.
 */
// prettier-ignore
export const WORD_CLASSES: Record<string, readonly string[]> = {
  WHO: [
    'who', 'whom', 'vem', 'kven', 'hvem', 'vilken', 'vilka', 'hvilken', 'hvilke', 'kva for',
    'kven er det som',
  ],
  WHAT: [
    'what', 'vad', 'kva', 'hva', 'which', 'vilka', 'vilket', 'vilken', 'hvilke', 'hvilket', 'kva for',
    'korleis',
    // "what kind of roles", "vad för slags system", "hva slags roller", "kva slags system".
    'what kind of', 'what sort of', 'which kind of', 'vad för', 'vad för slags', 'vad för sorts', 'vilka slags',
    'vilken sorts', 'hva slags', 'hva for', 'hva for noen', 'hvilke slags', 'kva slags', 'kva for nokre',
  ],
  BE: ['is', 'are', 'am', 's', 'är', 'e', 'er', 'was', 'var', 'blir'],
  ART: ['the', 'a', 'den', 'det', 'de', 'dei'],
  PREP: [
    'för', 'for', 'of', 'on', 'in', 'at', 'till', 'til', 'på', 'av', 'i', 'hos', 'åt', 'over', 'över', 'to',
    'om', 'about', 'with', 'med',
  ],
  SELF: ['i', 'jag', 'eg', 'jeg', 'me', 'mig', 'meg', 'myself'],
  MY: ['my', 'mina', 'min', 'mitt', 'mine', 'mi'],
  ROLE_WORD: [
    'roles', 'role', 'roller', 'rollerna', 'rollene', 'rollane', 'roll', 'rolle', 'rollen', 'assignments',
  ],
  ROLES: [
    'roles', 'role', 'roller', 'rollerna', 'rollene', 'rollane', 'roll', 'rolle', 'system', 'systems',
    'systemer', 'systema', 'systemen', 'ansvar', 'ansvarsområden', 'responsibilities', 'assignments',
    'uppdrag',
  ],
  HAVE: ['have', 'has', 'do', 'does', 'har', 'hev', 'äger', 'eig', 'eier', 'own', 'owns', 'hold', 'holds'],
  DO: ['do', 'does', 'did'],
  OWN: ['own', 'owns', 'äger', 'eig', 'eier', 'hold', 'holds', 'have', 'has', 'har'],
  CAN: [
    'can', 'could', 'kan', 'may', 'får', 'should', 'shall', 'ska', 'skall', 'skal', 'bør', 'borde', 'må',
    'måste', 'must',
  ],
  CONTACT: [
    'ask', 'contact', 'talk to', 'turn to', 'fråga', 'frågar', 'kontakta', 'kontaktar', 'vända mig till',
    'vänder mig till', 'spør', 'spørje', 'spørre', 'kontakte', 'kontaktar', 'kontakter', 'vende meg til',
    'vender meg til',
  ],
  HELP_VERB: ['help', 'hjälpa', 'hjelpe', 'hjelpa', 'assist', 'support'],
  GIVE: [
    'give', 'grant', 'ge', 'gje', 'gi', 'gjev', 'gir', 'ger', 'ordne', 'fixa', 'fikse', 'sort', 'get',
    'provide',
  ],
  GIVES: [
    'gives', 'grants', 'ger', 'gjev', 'gir', 'handles', 'hanterar', 'handterer', 'håndterer', 'beviljar',
    'godkänner', 'godkjenner', 'approves', 'bevilgar', 'bevilger', 'tildeler', 'tildelar', 'delar ut',
  ],
  HOW: ['how', 'hur', 'korleis', 'hvordan'],
  GET: ['get', 'får', 'far', 'fær', 'få', 'fa', 'skaffar', 'søkjer', 'søker', 'söker', 'request', 'apply'],
  NEED: [
    'need', 'needs', 'want', 'behöver', 'vill', 'vil', 'treng', 'trenger', 'ønskjer', 'ønsker', 'would like',
  ],
  RESPONSIBLE: ['responsible', 'ansvarig', 'ansvarleg', 'ansvarlig', 'in charge'],
  RESPONSIBLE_VERB: ['ansvarar', 'svarar'],
  /** "har hand om", "har ansvaret för", "has responsibility for". */
  RESPONSIBILITY: ['responsibility', 'charge'],
  /** "har ansvar(et) för / for", "har hand om": the system administrator, as "ansvarig" is. */
  ANSVAR: ['ansvar', 'ansvaret', 'ansvaret sitt', 'hand om'],
  HELP: [
    'help', 'hjälp', 'hjelp', 'hjalp', 'help me', 'hjälp mig', 'hjelp meg', 'hjelp', 'what can you do',
    'vad kan du', 'kva kan du', 'hva kan du', 'vad kan du göra', 'kva kan du gjere', 'hva kan du gjøre',
    'how does this work', 'hur funkar det', 'hur fungerar det', 'korleis fungerer det',
    'hvordan fungerer det', 'instructions', 'instruktioner', 'meny', 'menu', 'commands', 'kommandon',
  ],
  GREETING: [
    'hej', 'hejsan', 'tjena', 'tjenare', 'hallå', 'god morgon', 'goddag', 'hei', 'hallo', 'heisann',
    'god morgen', 'god dag', 'morn', 'hello', 'hi', 'hey', 'good morning', 'good afternoon', 'hei hei',
    'hej hej',
  ],
  POLITE: [
    'tack', 'takk', 'please', 'snälla', 'thanks', 'thank you', 'pls', 'plz', 'tack på förhand', 'på förhand tack',
    'tack så mycket', 'tack för hjälpen', 'stort tack', 'takk på forhånd', 'takk på førehand', 'på forhånd takk',
    'på førehand takk', 'tusen takk', 'takk for hjelpa', 'takk for hjelpen', 'takk skal du ha', 'thanks in advance',
    'thank you in advance', 'thanks a lot', 'many thanks', 'thanks for your help', 'cheers', 'mvh', 'hilsen',
    'helsing', 'hälsningar', 'vänliga hälsningar', 'med vänlig hälsning', 'kind regards', 'best regards', 'regards',
  ],
  /** Thanks on their own ("tack!", "takk for hjelpa", "thanks a lot"): small talk like a greeting. */
  THANKS: [
    'tack', 'tackar', 'tacksam', 'takk', 'takkar', 'takker', 'takksam', 'thanks', 'thank you', 'thank u', 'thx',
    'ty', 'tnx', 'cheers', 'appreciated', 'much appreciated', 'tusen tack', 'tusen takk', 'stort tack',
    'mange takk', 'many thanks', 'takk skal du ha', 'tack ska du ha',
  ],
  /**
   * Words that go with thanks or a greeting and ask nothing: "tack så mycket för hjälpen", "takk, det hjelpte",
   * "thanks a lot, that was great". A message of these, the thanks and the greetings only is small talk.
   */
  SMALL_TALK: [
    'så', 'mycket', 'mye', 'mykje', 'veldig', 'very', 'so', 'much', 'a lot', 'lots', 'again', 'igen', 'igjen',
    'att', 'for', 'för', 'the', 'your', 'din', 'di', 'hjälpen', 'hjelpa', 'hjelpen', 'svaret', 'svar',
    'answer', 'det', 'that', 'it', 'this', 'detta', 'dette', 'du', 'dere', 'dykk', 'ni', 'you', 'all', 'alle',
    'alla', 'everyone', 'ansvar', 'bot', 'var', 'was', 'er', 'is', 'hjälpte', 'hjelpte', 'helped',
    'bra', 'fint', 'fin', 'great', 'perfect', 'perfekt', 'super', 'toppen', 'flott', 'nice', 'good', 'ok',
    'okej', 'okay', 'då', 'da', 'then', 'igår', 'så länge', 'ha det', 'have a good day', 'ha en bra dag',
    'ha ein fin dag', 'ha en fin dag', 'bye', 'hej då', 'hadet', 'ha det bra',
  ],
  /**
   * Asking to be told, before a question word: "kan du säga mig vem ...", "could you tell me who ...". Dropped at the
   * start of a message when a question word follows.
   */
  ASK_OPENER: [
    'kan du säga mig', 'kan du säga', 'kan du berätta för mig', 'vet du', 'vet du om', 'jag undrar', 'undrar',
    'kan du seie meg', 'kan du seie', 'kan du fortelje meg', 'veit du', 'eg lurer på', 'lurer på',
    'kan du si meg', 'kan du si', 'kan du fortelle meg', 'jeg lurer på', 'could you tell me',
    'can you tell me', 'could you let me know', 'do you know', 'i wonder', 'i was wondering', 'tell me',
  ],
  /** "vem är vår IT-samordnare", "kven er IKT-koordinatoren vår": the asker's own organisation, as by default. */
  OUR: ['vår', 'vårt', 'våra', 'våre', 'our', 'min', 'mitt', 'mina', 'mine', 'mi', 'my'],
  /** "vem är dataskyddsombud här", "hvem er personvernombud hos oss": the asker's own organisation too. */
  HERE: [
    'här', 'her', 'here', 'hos oss', 'hjå oss', 'i kommunen', 'i kommunen vår', 'i vår kommun',
    'i kommunen min', 'i min kommun', 'in my organisation', 'in our organisation', 'in our municipality',
  ],
  /** What an IT orderer orders: "who may order equipment for Oppvekst"; also what an inventory lists. */
  ORDER_OBJECT: [
    'devices', 'device', 'hardware', 'maskinvara', 'maskinvare',
    'inventarier', 'inventarierna', 'inventarie', 'inventarielista', 'inventarielistan', 'inventory',
    'inventar', 'inventaret', 'inventarliste', 'inventarlista',
    'equipment', 'it equipment', 'the equipment', 'utrustning', 'utrustningen', 'it-utrustning',
    'it-utrustningen', 'utstyr', 'utstyret', 'ikt-utstyr', 'ikt-utstyret', 'it-utstyr', 'it-utstyret',
  ],
  /** Words that may precede a unit's name and are not part of it: "who may order for unit X". */
  UNIT_NOUN: ['unit', 'the unit', 'enheten', 'enhet', 'eininga', 'eining', 'avdelingen', 'avdelinga'],
  /** Words that may precede a system's name and are not part of it: "who owns the system Procapita". */
  SYSTEM_NOUN: [
    'systemet', 'fagsystemet', 'system', 'fagsystem', 'verksamhetssystemet', 'programmet', 'appen',
    'tjänsten', 'tenesta', 'tjenesten',
  ],
  /** Access requests: "stop access for NAME in X", "avsluta behörighet för NAME i X", "stopp tilgang for NAME i X". */
  STOP: [
    'stop', 'end', 'remove', 'revoke', 'terminate', 'avsluta', 'stoppa', 'ta bort', 'spärra', 'stopp',
    'stoppe', 'avslutt', 'avslutte', 'fjern', 'fjerne', 'sperr', 'sperre', 'avslutta',
  ],
  CHANGE: ['change', 'modify', 'update', 'ändra', 'endre', 'endra'],
  CHANGED: ['changed', 'different', 'ändrad', 'ändrade', 'annan', 'endra', 'endret', 'anna', 'annen'],
  NEW: ['new', 'ny', 'nya', 'nytt', 'nye'],
  /** Between the person and the system: "for NAME in X". */
  IN: ['in', 'i', 'to', 'till', 'til', 'på', 'for', 'för', 'on', 'hos'],
  REQUEST_VERB: [
    'request', 'apply for', 'ask for', 'order', 'to request', 'ansöka om', 'ansök om', 'ansöker om', 'beställ',
    'beställa', 'att beställa', 'söka', 'søkje om', 'søkja om', 'søke om', 'søk om', 'bestill', 'bestille',
    'å bestille', 'å søkje om', 'å søke om',
  ],
  SHOW: ['show', 'show me', 'list', 'visa', 'visa mig', 'vis', 'vis meg', 'syn', 'syn meg', 'lista'],
  /** "my requests", "mina ärenden", "mine saker", "mine førespurnader", "mine forespørsler". */
  REQUESTS: [
    'requests', 'request', 'cases', 'access requests', 'ärenden', 'ärende', 'förfrågningar', 'beställningar',
    'ansökningar', 'behörighetsärenden', 'saker', 'sakene', 'saka', 'sakane', 'førespurnader',
    'førespurnadene', 'forespørsler', 'forespørslene', 'søknader', 'søknadene', 'bestillingar', 'bestillinger',
  ],
  MADE: ['made', 'sent', 'skickat', 'gjort', 'sendt', 'laga', 'sent in', 'lagt inn'],
  SOM: ['som', 'that', 'which', 'who', 'det'],
  /** "waiting for me", "väntar på mig", "ventar på meg", "venter på meg". */
  WAITING: ['waiting', 'awaiting', 'waits', 'väntar', 'ventar', 'venter', 'ligg', 'ligger'],
  /** The systems of a responsibility list: "lista system", "vis fagsystema", "list all systems". */
  SYSTEMS: [
    'systems', 'system', 'systemen', 'systema', 'systemer', 'systemene', 'fagsystem', 'fagsystema',
    'fagsystemer', 'fagsystemene', 'business systems', 'verksamhetssystem', 'verksamhetssystemen',
    'applications', 'applikationer',
  ],
  ALL: ['all', 'alla', 'alle', 'every'],
  /** Between "without" and the role: "without an owner", "utan någon ersättare", "uten noen eier". */
  ANY: ['a', 'an', 'any', 'the', 'en', 'ett', 'ein', 'eit', 'någon', 'nokon', 'noen'],
  /** "system utan ersättare", "system uten eier", "systems without an owner", "systems with no deputy". */
  WITHOUT: [
    'without', 'with no', 'lacking', 'missing', 'utan', 'uten', 'som saknar', 'som manglar', 'som mangler',
    'som ikkje har', 'som ikke har', 'som inte har', 'med ingen',
  ],
  /** Who asks for equipment: "I need", "vi treng". */
  ASKER: ['i', 'jag', 'eg', 'jeg', 'vi', 'we'],
  /** Ordering equipment: "order equipment", "jag vill beställa", "tinge utstyr". */
  ORDER_VERB: [
    'order', 'to order', 'beställ', 'beställa', 'att beställa', 'beställer', 'bestill', 'bestille',
    'å bestille', 'bestiller', 'tinge', 'å tinge', 'ting', 'tingar', 'get', 'to get', 'få', 'å få', 'have', 'to have', 'ha', 'å ha',
  ],
  /** Before an item, and not part of it: "a new screen", "en projektor", "eit tastatur". */
  ITEM_ART: ['a', 'an', 'the', 'en', 'ett', 'ein', 'eit', 'ei', 'some', 'några', 'nokre', 'noen'],
  /** Before the room an item is for: "en projektor till konferensrummet", "for the meeting room". */
  ROOM_PREP: ['till', 'til', 'for', 'för', 'to', 'i', 'in', 'på'],
  /** "what is registered to me", "vad är registrerat på mig", "kva er registrert på meg". */
  REGISTERED: [
    'registered', 'registrerat', 'registrerad', 'registrerade', 'registrert', 'registrerte', 'listed',
  ],
  /** "open requests", "öppna ärenden", "opne saker", "åpne forespørsler". */
  OPEN: [
    'open', 'pending', 'outstanding', 'öppna', 'pågående', 'oavslutade', 'opne', 'uavslutta', 'åpne',
    'uavsluttede',
  ],
  /** "waiting more than 5 days", "väntat", "har venta", "har ventet". */
  WAITED: [
    'waiting', 'waited', 'väntar', 'väntat', 'väntade', 'ventar', 'venta', 'ventet', 'venter', 'ligget',
    'legat',
  ],
  BEEN: ['been', 'varit', 'vore', 'vært'],
  MORE_THAN: [
    'more than', 'over', 'longer than', 'mer än', 'över', 'längre än', 'meir enn', 'lenger enn',
    'lengre enn', 'mer enn',
  ],
  OLDER_THAN: ['older than', 'äldre än', 'eldre enn'],
  DAYS: ['days', 'day', 'dagar', 'dag', 'dager', 'døgn'],
  /** The hygiene check: "kör hygienkontroll", "køyr hygienekontrollen", "run the hygiene check". */
  RUN: ['run', 'do', 'start', 'kör', 'köra', 'gör', 'køyr', 'køyre', 'kjør', 'kjøre'],
  HYGIENE_CHECK: [
    'hygiene check', 'hygienkontroll', 'hygienkontrollen', 'hygienekontroll', 'hygienekontrollen',
  ],
  /** "kontrollera registret", "sjekk registeret", "check the register". */
  CHECK_VERB: ['check', 'review', 'kontrollera', 'granska', 'sjekk', 'sjekke', 'kontroller', 'kontrollere'],
  REGISTER_NOUN: ['register', 'registret', 'registeret', 'registry'],
  /** Before the day asked about: "on 2025-03-01", "den 1 mars 2025", "per 2025-03-01", "i mars 2024". */
  DATE_PREP: ['on', 'at', 'as of', 'den', 'per', 'på', 'pr', 'in', 'i', 'during', 'under'],
  /** Prepositions before an organisation at the end: "vem äger Procapita i Tanum". */
  ORG_PREP: ['i', 'in', 'for', 'för', 'på', 'hos', 'hjå', 'at', 'within', 'inom'],
  /** Register care: "lägg till system X", "legg til fagsystem X", "add system X". */
  CARE_ADD: ['add', 'register', 'create', 'lägg till', 'lägga till', 'registrera', 'legg til', 'leggje til', 'opprett'],
  /** "ändra system X", "endre fagsystemet X", "edit system X". */
  CARE_EDIT: ['edit', 'change', 'update', 'ändra', 'redigera', 'uppdatera', 'endre', 'endra', 'rediger', 'oppdater'],
  /** "gör NAME till systemägare för X", "gjer NAME til fagsystemeigar for X", "make NAME owner of X". */
  CARE_MAKE: ['make', 'appoint', 'set', 'gör', 'utse', 'utnämn', 'gjer', 'gjør', 'sett', 'utnemn'],
  /** Between the person and the role: "gör Anna till ...", "make Anna the owner". */
  CARE_INTO: ['till', 'til', 'to', 'as', 'som'],
  /** "avsluta Annas roll som ersättare", "end Anna as deputy". */
  CARE_AS: ['as', 'som'],
  /** Norwegian possessive after a name: "Kari sin rolle". */
  CARE_POSS: ['sin', 'si', 'sitt', 'sine'],
  /** The owner confirms an entry: "bekräfta Procapita", "stadfest Acos", "bekreft Gerica", "confirm Procapita". */
  CARE_CONFIRM: ['confirm', 'bekräfta', 'stadfest', 'stadfesta', 'bekreft', 'bekrefte', 'godkjenn'],
  /** "lämna över alla Annas roller till Bo", "overlat alle rollene til Kari til Ola", "hand over all of ...". */
  CARE_HANDOVER: [
    'hand over', 'transfer', 'reassign', 'lämna över', 'överlämna', 'överför', 'flytta', 'overlat',
    'overlate', 'overfør', 'overføre', 'flytt',
  ],
  CARE_FROM: ['från', 'frå', 'fra', 'from'],
  CARE_TO: ['till', 'til', 'to'],
  /** Access reviews: "granska behörigheter i X", "revider brukartilgangar i X", "review access in X". */
  REVIEW_VERB: ['review', 'granska', 'revider', 'revidere', 'gjennomgå', 'gå gjennom', 'gå igenom'],
  REVIEW_OBJECT: [
    'access', 'accesses', 'user access', 'user accesses', 'behörighet', 'behörigheter', 'behörigheterna',
    'tilgang', 'tilgangar', 'tilgangane', 'tilganger', 'tilgangene', 'brukartilgangar', 'brukartilgangane',
    'brukertilganger', 'brukertilgangene',
  ],
  /** The coordinators' list: "granskningar", "gjennomgangar", "reviews". */
  REVIEWS: [
    'reviews', 'access reviews', 'granskningar', 'granskningarna', 'behörighetsgranskningar', 'gjennomgangar',
    'gjennomgangane', 'gjennomganger', 'gjennomgangene',
  ],
};

/**
 * Words that mark a language. A word only counts when it is typical of its language and rare in the others;
 * words shared by Nynorsk and Bokmål ("meg", "tilgang", "hjelp") are in `no` and only say "Norwegian".
 * Shared words ("er", "for", "til", "kan", "system") are in no list.
 */
// prettier-ignore
export const LANGUAGE_MARKERS: Record<Language | 'no', readonly string[]> = {
  sv: [
    'vem', 'vad', 'vilken', 'vilka', 'vilket', 'äger', 'är', 'för', 'jag', 'mig', 'mina', 'behörighet',
    'behörigheter', 'hjälp', 'hej', 'hejsan', 'tack', 'ge', 'hur', 'behöver', 'till', 'och', 'inte',
    'ansvarar', 'ansvarig', 'leverantör', 'leverantören', 'åtkomst', 'också', 'finns', 'någon', 'roll',
    'snälla', 'ska', 'systemägare', 'systemägaren', 'ägare', 'ägaren', 'systemansvarig',
    'systemadministratör', 'systemförvaltare', 'ersättare', 'ersättaren', 'superanvändare',
    'superanvändaren', 'nyckelanvändare', 'dataskyddsombud', 'dataskyddsombudet', 'it-samordnare',
    'it-samordnaren', 'it-beställare', 'beställare', 'it-säkerhetsansvarig', 'it-chef', 'it-enheten',
    'beställa', 'utrustning', 'ärenden', 'väntar', 'avsluta', 'ändra', 'förfrågningar',
    'ägde', 'öppna', 'registrerat', 'väntat', 'skärm', 'bärbar',
    'kör', 'hygienkontroll', 'kontrollera', 'registret',
    'ägarna', 'systemägarna', 'ersättarna', 'systemansvariga', 'systemförvaltaren', 'systemförvaltare',
    'superanvändarna', 'berätta', 'säga', 'undrar', 'behörigheten', 'idag', 'igår', 'vilket', 'saknar',
    'utan', 'några', 'något', 'också', 'lägg', 'sätt', 'stäng', 'ärendena', 'godkännande', 'dator',
  ],
  nn: [
    'kven', 'kva', 'eig', 'eigar', 'eigaren', 'eg', 'treng', 'ikkje', 'gje', 'gjev', 'korleis', 'ansvarleg',
    'fagsystemeigar', 'fagsystemansvarleg', 'superbrukar', 'stedfortredar', 'rollane', 'tilgangar',
    'tilgong', 'dei', 'ein', 'eit', 'berre', 'noko', 'nokon', 'hev', 'ynskjer', 'ønskjer', 'søkjer',
    'handterer', 'kjem', 'fagsystemeigaren', 'eigarane', 'systemansvarleg', 'stedfortredaren',
    'superbrukaren', 'superbrukarar', 'brukarstøtte', 'tilgangane', 'personvernombod', 'ikt-bestillar',
    'bestillar', 'tryggleiksansvarleg', 'dagleg', 'leiar', 'ikt-tenesta', 'ventar', 'førespurnader', 'eining',
    'tinge', 'eigde', 'utstyret', 'venta', 'meir', 'opne',
    'køyr',
    'fagsystemeigarane', 'fagsystemansvarlege', 'stadfortredar', 'stadfortredaren', 'stedfortredarane',
    'superbrukarane', 'systema', 'fortel', 'søkje', 'køyre', 'manglar', 'utan', 'kven', 'nokre', 'kvifor',
    'seie', 'lurar', 'sjå', 'frå', 'ho', 'hjå', 'ikkje', 'tek', 'godkjenninga',
    'sluttar', 'hennar', 'byta', 'utvida', 'eigedom', 'treng', 'spørje', 'kor', 'korfor', 'gløymt', 'viss',
  ],
  nb: [
    'hvem', 'hva', 'hvilken', 'hvilke', 'hvilket', 'eier', 'eieren', 'jeg', 'trenger', 'ikke', 'gi', 'gir',
    'hvordan', 'ansvarlig', 'systemeier', 'systemansvarlig', 'superbruker', 'stedfortreder',
    'tilganger', 'noen', 'noe', 'bare', 'ønsker', 'søker', 'håndterer', 'kommer', 'systemeieren',
    'stedfortrederen', 'superbrukeren', 'superbrukere', 'personvernombud', 'ikt-bestiller',
    'sikkerhetsansvarlig', 'it-sjef', 'it-avdeling', 'venter', 'forespørsler', 'avslutt', 'uten',
    'eide', 'ventet', 'åpne',
    'kjør',
    'systemansvarlige', 'systemeiere', 'systemeierne', 'systemeieren', 'stedfortrederne', 'superbrukerne',
    'systemer', 'systemene', 'fortell', 'søke', 'kjøre', 'overfør', 'mangler', 'uten', 'noen', 'hvorfor',
    'si', 'fra', 'hun', 'godkjenningen', 'slutter', 'hennes',
    'byttet', 'utvidet', 'eiendom', 'spørre', 'ligget', 'søknaden', 'nytt', 'hjelpe', 'hvor', 'hvis', 'glemt',
    'passord', 'passordet',
  ],
  no: [
    'meg', 'mine', 'tilgang', 'hjelp', 'hei', 'takk', 'leverandør', 'leverandøren', 'og', 'gjøre', 'hallo',
    'ikt-koordinator', 'ikt-koordinatoren', 'utstyr', 'bestille',
    'sjekk', 'registeret', 'hygienekontroll',
    // Nynorsk too (feminine plural of "rolle"; masculine "rollane"): not a sign of Bokmål.
    'rollene',
  ],
  en: [
    'who', 'whom', 'what', 'which', 'owns', 'own', 'owner', 'access', 'is', 'are', 'the', 'of', 'does', 'do',
    'my', 'roles', 'help', 'hello', 'hi', 'can', 'give', 'grant', 'need', 'supplier', 'deputy',
    'administers', 'administrator', 'users', 'user', 'how', 'get', 'please', 'thanks', 'with', 'to',
    'responsible', 'in', 'super', 'owners', 'deputies', 'vendor', 'officer', 'coordinator', 'orderer',
    'orderers', 'order', 'manager', 'unit', 'our', 'waiting', 'requests', 'stop', 'change', 'without',
    'systems',
    'check', 'hygiene', 'register',
    'add', 'edit', 'remove', 'make', 'set', 'was', 'today', 'slow', 'please', 'everyone', 'have', 'has',
    'new', 'and', 'this', 'that', 'tell', 'about', 'show', 'rights', 'left', 'mouse', 'hold', 'holds',
    'weekend', 'nice', 'open', 'days', 'whole', 'missing', 'any', 'there', 'would', 'could', 'should', 'whos',
    'ownes', 'owned', 'covering', 'as', 'confirm', 'appoint', 'assign', 'transfer', 'anyone', 'after', 'where',
    'password', 'reset', 'again', 'down', 'work', 'thank', 'you', 'thx', 'cheers',
  ],
};
