/**
 * The typed data each card template lays out. Everything a card shows is computed into these objects (already
 * translated, capped and formatted); the templates only place it. Every string field must be present: the
 * templating engine prints `${field}` for a missing one, and an empty string is how a template is told to leave a
 * line out (`$when`).
 */

export interface SystemCardData {
  title: string;
  subtitle: string;
  otherOrganisationNote: string;
  facts: { label: string; value: string }[];
  noHoldersText: string;
  holders: HolderCardData[];
  moreHoldersText: string;
}

export interface HolderCardData {
  roleLabel: string;
  name: string;
  details: string;
  statusText: string;
  turnToText: string;
  chatTitle: string;
  chatUrl: string;
  rolesTitle: string;
  personId: string;
}

export interface SystemButtonData {
  label: string;
  systemId: string;
}

export interface ChoiceCardData {
  title: string;
  candidates: SystemButtonData[];
  moreText: string;
}

export interface NoMatchCardData {
  title: string;
  suggestionsIntro: string;
  suggestions: SystemButtonData[];
  keepersText: string;
  keepers: { name: string; details: string; chatTitle: string; chatUrl: string }[];
}

export interface OrganisationRoleCardData {
  title: string;
  facts: { label: string; value: string }[];
  /** Lines before the holders: an unknown unit, or which organisation is meant. */
  notes: { text: string }[];
  noHoldersText: string;
  holders: OrganisationRoleHolderCardData[];
  moreHoldersText: string;
  /** Empty unless there is no holder and the organisation has IT coordinators to name. */
  keepersText: string;
  keepers: NoMatchCardData['keepers'];
}

export interface OrganisationRoleHolderCardData {
  name: string;
  details: string;
  /** IT orderers: the units they may order for. */
  unitsText: string;
  statusText: string;
  chatTitle: string;
  chatUrl: string;
  rolesTitle: string;
  personId: string;
}

export interface UnknownPersonCardData {
  title: string;
  suggestionsIntro: string;
  suggestions: { label: string; personId: string }[];
}

export interface PersonRolesCardData {
  title: string;
  subtitle: string;
  noneText: string;
  roles: { roleLabel: string; subject: string; context: string; systemId: string; showTitle: string }[];
  moreText: string;
}

export interface HelpCardData {
  title: string;
  intro: string;
  examples: { text: string }[];
  languages: string;
  organisationText: string;
}

export interface WelcomeCardData {
  title: string;
  lead: string;
  tryText: string;
  organisationText: string;
  helpTitle: string;
}

export interface NoticeCardData {
  title: string;
  text: string;
}

export interface CardDataByName {
  systemCard: SystemCardData;
  choiceCard: ChoiceCardData;
  noMatchCard: NoMatchCardData;
  unknownPersonCard: UnknownPersonCardData;
  personRolesCard: PersonRolesCardData;
  organisationRoleCard: OrganisationRoleCardData;
  helpCard: HelpCardData;
  welcomeCard: WelcomeCardData;
  noticeCard: NoticeCardData;
}

export type CardName = keyof CardDataByName;
