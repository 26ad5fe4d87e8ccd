import type { SystemFocus, SystemListKind } from '../responsibility/answers.js';

/** The kinds of access change a message can ask for; the same words as the access kind's `change` field. */
export type AccessChangeWord = 'new' | 'change' | 'stop';

type IntentKind =
  | 'whoOwns'
  | 'organisationRole'
  | 'rolesOfSelf'
  | 'rolesOfPerson'
  | 'help'
  | 'greeting'
  | 'requestAccess'
  | 'myRequests'
  | 'awaitingMe'
  | 'systemList'
  | 'requestEquipment'
  | 'inventoryMine'
  | 'inventoryUnit'
  | 'openRequests'
  | 'hygieneCheck'
  | 'reviewList'
  | 'reviewStart'
  | 'careAdd'
  | 'careEdit'
  | 'careAssign'
  | 'careAssignOrg'
  | 'careEnd'
  | 'careConfirm'
  | 'careHandover';

/**
 * The grammar, as data. Elements: `{CLASS}` a word class from vocabulary.ts (`?` = optional), `a|b` literal words,
 * `ROLE` a role noun and `VERB` a role verb (both set the focus), `ORG_ROLE` / `ORG_VERB` the same for organisation
 * roles, `PAST_VERB` a role verb in the past tense, `SYSTEM` / `PERSON` / `SCOPE` / `ITEM` / `ROOM` the captured
 * name (one word or more), `NUMBER` a number in digits or words, `DATE` a day ("2025-03-01", "1 mars 2025",
 * "March 1, 2025"). A pattern must cover the whole message; the first pattern that does wins, so narrower ones
 * come first.
 */
export const PATTERNS: readonly {
  kind: IntentKind;
  pattern: string;
  focus?: SystemFocus;
  change?: AccessChangeWord;
  list?: SystemListKind;
}[] = [
  { kind: 'help', pattern: '{HELP}' },
  { kind: 'greeting', pattern: '{GREETING} ansvar|ansvarbot|bot|there|du|dere|alle|everyone|all?' },

  { kind: 'careHandover', pattern: '{CARE_HANDOVER} {ALL}? {ROLE_WORD} {CARE_FROM} PERSON {CARE_TO} SCOPE' },
  { kind: 'careHandover', pattern: '{CARE_HANDOVER} {ALL}? {ROLE_WORD} {CARE_TO}? PERSON {CARE_TO} SCOPE' },
  {
    kind: 'careHandover',
    pattern: '{CARE_HANDOVER} {ALL}? of? PERSON s? {CARE_POSS}? {ROLE_WORD} {CARE_TO} SCOPE',
  },
  {
    kind: 'careEnd',
    pattern: '{STOP} PERSON s? {CARE_POSS}? {ROLE_WORD}? {CARE_AS} {ART}? ROLE {PREP} SYSTEM',
  },
  { kind: 'careAssign', pattern: '{CARE_MAKE} PERSON {CARE_INTO}? {ART}? ROLE {PREP} SYSTEM' },
  {
    kind: 'careAssignOrg',
    pattern: '{CARE_MAKE} PERSON {CARE_INTO}? {ART}? ORG_ROLE {PREP} {UNIT_NOUN}? SCOPE',
  },
  { kind: 'careAssignOrg', pattern: '{CARE_MAKE} PERSON {CARE_INTO}? {ART}? ORG_ROLE' },
  { kind: 'careAdd', pattern: '{CARE_ADD} {ANY}? {NEW}? {SYSTEM_NOUN} SYSTEM' },
  { kind: 'careEdit', pattern: '{CARE_EDIT} {SYSTEM_NOUN} SYSTEM' },
  { kind: 'careConfirm', pattern: '{CARE_CONFIRM} {SYSTEM_NOUN}? SYSTEM' },

  { kind: 'myRequests', pattern: '{SHOW}? {MY} {REQUESTS}' },
  { kind: 'myRequests', pattern: '{SHOW}? {REQUESTS} {SELF} {HAVE} {MADE}?' },
  { kind: 'awaitingMe', pattern: '{SHOW}? {WHAT}? {REQUESTS}? {BE}? {SOM}? {WAITING} {PREP} {SELF}' },
  { kind: 'awaitingMe', pattern: '{SHOW}? {WHAT}? {REQUESTS}? {SOM}? {BE}? {WAITING} {PREP} {SELF}' },
  { kind: 'openRequests', pattern: '{SHOW}? {ALL}? {OPEN} {REQUESTS}' },
  {
    kind: 'openRequests',
    pattern:
      '{SHOW}? {ALL}? {OPEN}? {REQUESTS} {SOM}? {HAVE}? {BEEN}? {WAITED} {PREP}? {MORE_THAN} NUMBER {DAYS}',
  },
  { kind: 'openRequests', pattern: '{SHOW}? {ALL}? {OPEN}? {REQUESTS} {OLDER_THAN} NUMBER {DAYS}' },
  { kind: 'hygieneCheck', pattern: '{RUN}? {ART}? {HYGIENE_CHECK}' },
  { kind: 'hygieneCheck', pattern: '{CHECK_VERB} {ART}? {REGISTER_NOUN}' },
  { kind: 'reviewList', pattern: '{SHOW}? {ALL}? {REVIEWS}' },
  { kind: 'reviewStart', pattern: '{REVIEW_VERB} {ALL}? {REVIEW_OBJECT} {IN} SYSTEM' },

  { kind: 'requestAccess', change: 'stop', pattern: '{STOP} {ART}? {ACCESS} {PREP} PERSON {IN} SYSTEM' },
  { kind: 'requestAccess', change: 'change', pattern: '{CHANGE} {ART}? {ACCESS} {PREP} PERSON {IN} SYSTEM' },
  { kind: 'requestAccess', change: 'new', pattern: '{NEW} {ACCESS} {PREP} PERSON {IN} SYSTEM' },
  { kind: 'requestAccess', change: 'stop', pattern: '{STOP} {MY} {ACCESS} {MY}? {PREP} SYSTEM' },
  { kind: 'requestAccess', change: 'change', pattern: '{CHANGE} {MY} {ACCESS} {MY}? {PREP} SYSTEM' },
  { kind: 'requestAccess', change: 'change', pattern: '{SELF} {NEED} {CHANGED} {ACCESS} {PREP} SYSTEM' },
  { kind: 'requestAccess', change: 'new', pattern: '{SELF} {NEED} {GET}? ha|have? {ACCESS} {PREP}? SYSTEM' },
  { kind: 'requestAccess', change: 'new', pattern: '{SELF} {NEED}? {REQUEST_VERB} {ACCESS} {PREP}? SYSTEM' },
  { kind: 'requestAccess', change: 'new', pattern: '{REQUEST_VERB} {ACCESS} {PREP}? SYSTEM' },

  // After the access requests: "I need access to X" is access; what else one needs or orders is equipment.
  { kind: 'help', pattern: '{ASKER} {NEED} {HELP}' },
  { kind: 'requestEquipment', pattern: '{ASKER}? {NEED}? {ORDER_VERB} {ORDER_OBJECT}' },
  { kind: 'requestEquipment', pattern: '{ASKER} {NEED} {ORDER_OBJECT}' },
  {
    kind: 'requestEquipment',
    pattern: '{ASKER}? {NEED}? {ORDER_VERB} {ITEM_ART}? NUMBER? {NEW}? ITEM {ROOM_PREP} {ART}? ROOM',
  },
  { kind: 'requestEquipment', pattern: '{ASKER}? {NEED}? {ORDER_VERB} {ITEM_ART}? NUMBER? {NEW}? ITEM' },
  {
    kind: 'requestEquipment',
    pattern: '{ASKER} {NEED} {ITEM_ART}? NUMBER? {NEW}? ITEM {ROOM_PREP} {ART}? ROOM',
  },
  { kind: 'requestEquipment', pattern: '{ASKER} {NEED} {ITEM_ART}? NUMBER? {NEW}? ITEM' },

  { kind: 'inventoryMine', pattern: '{WHAT} {ORDER_OBJECT}? {BE} {REGISTERED} {PREP} {SELF}' },
  { kind: 'inventoryMine', pattern: '{WHAT} {ORDER_OBJECT} {HAVE} {SELF} {HAVE}?' },
  { kind: 'inventoryMine', pattern: '{SHOW}? {MY} {ORDER_OBJECT}' },
  { kind: 'inventoryMine', pattern: '{SHOW}? {ORDER_OBJECT} {REGISTERED}? {PREP} {SELF}' },
  { kind: 'inventoryUnit', pattern: '{WHAT} {ORDER_OBJECT} {HAVE} {UNIT_NOUN}? SCOPE {HAVE}?' },
  { kind: 'inventoryUnit', pattern: '{WHAT} {ORDER_OBJECT}? {BE} {REGISTERED} {PREP} {UNIT_NOUN}? SCOPE' },
  { kind: 'inventoryUnit', pattern: '{SHOW}? {ORDER_OBJECT} {REGISTERED}? {PREP} {UNIT_NOUN}? SCOPE' },

  // Before the roles questions: "which systems have no deputy" must not read as someone's systems.
  { kind: 'systemList', list: 'noDeputy', pattern: '{SHOW}? {ALL}? {SYSTEMS} {WITHOUT} {ANY}? {DEPUTY}' },
  {
    kind: 'systemList',
    list: 'noDeputy',
    pattern: '{SHOW}? {ALL}? {SYSTEMS} {WITHOUT} {ANY}? {DEPUTY} {PREP} {UNIT_NOUN}? SCOPE',
  },
  { kind: 'systemList', list: 'noOwner', pattern: '{SHOW}? {ALL}? {SYSTEMS} {WITHOUT} {ANY}? {OWNER}' },
  {
    kind: 'systemList',
    list: 'noOwner',
    pattern: '{SHOW}? {ALL}? {SYSTEMS} {WITHOUT} {ANY}? {OWNER} {PREP} {UNIT_NOUN}? SCOPE',
  },
  { kind: 'systemList', list: 'all', pattern: '{SHOW} {ALL}? {ART}? {SYSTEMS}' },
  { kind: 'systemList', list: 'all', pattern: '{SHOW} {ALL}? {ART}? {SYSTEMS} {PREP} {UNIT_NOUN}? SCOPE' },

  { kind: 'rolesOfSelf', pattern: '{WHAT} {DO}? {SELF} {OWN}' },
  { kind: 'rolesOfSelf', pattern: '{WHAT} {OWN} {SELF}' },
  { kind: 'rolesOfSelf', pattern: '{MY} {ROLES}' },
  { kind: 'rolesOfSelf', pattern: '{WHAT} {ROLES} {HAVE} {SELF} {HAVE}?' },
  { kind: 'rolesOfSelf', pattern: '{WHAT} {BE} {SELF} {RESPONSIBLE} {PREP}?' },
  { kind: 'rolesOfSelf', pattern: '{WHAT} {RESPONSIBLE_VERB} {SELF} {PREP}?' },

  { kind: 'rolesOfPerson', pattern: '{WHAT} {DO} PERSON {OWN}' },
  { kind: 'rolesOfPerson', pattern: '{WHAT} {OWN} PERSON' },
  { kind: 'rolesOfPerson', pattern: '{WHAT} {ROLES} {HAVE} PERSON {HAVE}?' },
  { kind: 'rolesOfPerson', pattern: '{ROLE_WORD} {PREP} PERSON' },
  { kind: 'rolesOfPerson', pattern: '{WHAT} {BE} PERSON {RESPONSIBLE} {PREP}?' },
  { kind: 'rolesOfPerson', pattern: '{WHAT} {RESPONSIBLE_VERB} PERSON {PREP}?' },

  { kind: 'organisationRole', pattern: '{WHO} {BE}? {ART}? {OUR}? ORG_ROLE {OUR}? {HERE}?' },
  {
    kind: 'organisationRole',
    pattern: '{WHO} {BE}? {ART}? {OUR}? ORG_ROLE {OUR}? {PREP} {UNIT_NOUN}? SCOPE',
  },
  { kind: 'organisationRole', pattern: '{WHO} {CAN}? ORG_VERB {ORDER_OBJECT}? {HERE}?' },
  { kind: 'organisationRole', pattern: '{WHO} {CAN}? ORG_VERB {ORDER_OBJECT}? {PREP} {UNIT_NOUN}? SCOPE' },
  { kind: 'organisationRole', pattern: '{ART}? {OUR}? ORG_ROLE {OUR}? {HERE}?' },
  { kind: 'organisationRole', pattern: '{ART}? {OUR}? ORG_ROLE {OUR}? {PREP} {UNIT_NOUN}? SCOPE' },

  { kind: 'whoOwns', focus: 'access', pattern: '{WHO} {CAN} {GIVE} {SELF}? {ART}? {ACCESS} {PREP}? SYSTEM' },
  { kind: 'whoOwns', focus: 'access', pattern: '{WHO} {GIVES} {SELF}? {ART}? {ACCESS} {PREP}? SYSTEM' },
  {
    kind: 'whoOwns',
    focus: 'access',
    pattern: '{WHO} {DO}? {CAN}? {SELF} {CAN}? {CONTACT} {PREP}? {ART}? {ACCESS} {PREP}? SYSTEM',
  },
  {
    kind: 'whoOwns',
    focus: 'access',
    pattern: '{HOW} {DO}? {CAN}? {SELF} {CAN}? {GET} {ACCESS} {PREP}? SYSTEM',
  },
  { kind: 'whoOwns', focus: 'access', pattern: '{HOW} {GET} {SELF} {ACCESS} {PREP}? SYSTEM' },
  { kind: 'whoOwns', pattern: '{WHO} PAST_VERB {PREP}? {ART}? SYSTEM {DATE_PREP}? DATE' },
  { kind: 'whoOwns', pattern: '{WHO} {BE} {ART}? ROLE {PREP}? SYSTEM {DATE_PREP}? DATE' },
  { kind: 'whoOwns', pattern: '{WHO} PAST_VERB {PREP}? {ART}? SYSTEM' },
  { kind: 'whoOwns', pattern: '{WHO} {BE}? {ART}? ROLE {PREP}? SYSTEM' },
  { kind: 'whoOwns', pattern: '{WHO} VERB {PREP}? {ART}? SYSTEM' },
  { kind: 'whoOwns', pattern: '{WHO} {HAVE} {RESPONSIBILITY} {PREP}? SYSTEM' },
  { kind: 'whoOwns', focus: 'administrator', pattern: '{WHO} {HAVE} {ANSVAR} {PREP}? SYSTEM' },
  { kind: 'whoOwns', pattern: '{WHO} {DO}? {CAN}? {SELF} {CAN}? {CONTACT} {PREP}? SYSTEM' },
  { kind: 'whoOwns', pattern: '{WHO} {CAN} {HELP_VERB} {SELF}? {PREP} SYSTEM' },
  { kind: 'whoOwns', pattern: '{WHAT} {BE} {ART}? ROLE {PREP}? SYSTEM' },
  { kind: 'whoOwns', pattern: '{ART}? ROLE {PREP}? SYSTEM' },
];
