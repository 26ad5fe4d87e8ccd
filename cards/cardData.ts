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
  /** The system's id for the "Request access" button; '' or absent leaves the button out. */
  systemId?: string;
  requestTitle?: string;
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
  /** True when the question was an access request: each button opens the request form instead of the system card. */
  opensForm: boolean;
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

/**
 * A responsibility list page, or its refusal (no groups, the IT coordinators as keepers). The paging buttons carry
 * the list, the unit id ('' = none) and a page number only.
 */
export interface SystemListCardData {
  title: string;
  /** "Page 1 of 3 · 57 systems"; '' when refused. */
  subtitle: string;
  notes: { text: string }[];
  emptyText: string;
  groups: { heading: string; systems: SystemListRowCardData[] }[];
  keepersText: string;
  keepers: NoMatchCardData['keepers'];
  list: string;
  unitId: string;
  hasPrevious: boolean;
  previousPage: number;
  previousTitle: string;
  hasNext: boolean;
  nextPage: number;
  nextTitle: string;
}

/** One system's line; holder names joined, "—" for a gap. */
export interface SystemListRowCardData {
  name: string;
  ownerLabel: string;
  owner: string;
  administratorLabel: string;
  administrator: string;
  deputiesLabel: string;
  deputies: string;
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
  /** How to ask for access and follow requests, with the help card's examples. */
  requestsText: string;
  organisationText: string;
  helpTitle: string;
}

export interface NoticeCardData {
  title: string;
  text: string;
}

export interface LabelValue {
  label: string;
  value: string;
}

/**
 * The access request form. Every input shows the user's value (after a refused submit) and, under it, the
 * problem with it in the user's language ('' = none). `policyRequired` shows the IT-policy confirmation only where
 * the organisation's policy asks for it.
 */
export interface RequestFormCardData {
  title: string;
  subtitle: string;
  errorText: string;
  /** Button data: the system and an idempotency key for this form (a retried submit stores one request). */
  systemId: string;
  formId: string;
  changeLabel: string;
  change: string;
  changeChoices: { title: string; value: string }[];
  changeError: string;
  subjectLabel: string;
  subjectPlaceholder: string;
  subject: string;
  subjectError: string;
  roleLabel: string;
  rolePlaceholder: string;
  role: string;
  roleError: string;
  justificationLabel: string;
  justificationPlaceholder: string;
  justification: string;
  justificationError: string;
  startDateLabel: string;
  startDate: string;
  startDateError: string;
  endDateLabel: string;
  endDate: string;
  endDateError: string;
  policyRequired: boolean;
  policyTitle: string;
  policyConfirmed: string;
  policyError: string;
  submitTitle: string;
}

export interface RequestStageCardData {
  title: string;
  lines: { text: string }[];
  stateText: string;
  /** Adaptive Card text colour of `stateText`. */
  stateColor: 'Default' | 'Good' | 'Attention' | 'Warning' | 'Accent';
}

/**
 * One request as one viewer sees it. Which buttons show is computed per viewer and state (`canDecide`,
 * `canCancel`, `canComplete`); the buttons carry `requestId` and `version` only.
 */
export interface RequestCardData {
  title: string;
  urgentText: string;
  statusText: string;
  statusColor: RequestStageCardData['stateColor'];
  noticeText: string;
  facts: LabelValue[];
  routeTitle: string;
  stages: RequestStageCardData[];
  moreStagesText: string;
  contactsText: string;
  /** For the requester and the subject: approvers and assignees a card could not reach, whom to contact instead. */
  unreachable: UnreachableCardData[];
  requestId: string;
  version: number;
  canDecide: boolean;
  reasonLabel: string;
  reasonPlaceholder: string;
  approveTitle: string;
  rejectTitle: string;
  canCancel: boolean;
  cancelTitle: string;
  canComplete: boolean;
  noteLabel: string;
  notePlaceholder: string;
  doneTitle: string;
  failedTitle: string;
}

export interface UnreachableCardData {
  text: string;
  chatTitle: string;
  /** '' leaves the chat button out. */
  chatUrl: string;
}

export interface RequestListItemCardData {
  heading: string;
  detail: string;
  statusText: string;
  requestId: string;
  version: number;
  openTitle: string;
  canCancel: boolean;
  cancelTitle: string;
}

export interface RequestListCardData {
  title: string;
  emptyText: string;
  items: RequestListItemCardData[];
  moreText: string;
  /** Buttons to switch between the two lists. */
  mineTitle: string;
  awaitingTitle: string;
}

export interface CardDataByName {
  systemCard: SystemCardData;
  choiceCard: ChoiceCardData;
  noMatchCard: NoMatchCardData;
  unknownPersonCard: UnknownPersonCardData;
  personRolesCard: PersonRolesCardData;
  organisationRoleCard: OrganisationRoleCardData;
  systemListCard: SystemListCardData;
  helpCard: HelpCardData;
  welcomeCard: WelcomeCardData;
  noticeCard: NoticeCardData;
  requestFormCard: RequestFormCardData;
  requestCard: RequestCardData;
  requestListCard: RequestListCardData;
}

export type CardName = keyof CardDataByName;
