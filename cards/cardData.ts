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
  /** Short ("Chat"), so both buttons fit in one row under the name; the tooltip names the person. */
  chatTitle: string;
  chatTooltip: string;
  chatUrl: string;
  rolesTitle: string;
  rolesTooltip: string;
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
  /** As in HolderCardData. */
  chatTitle: string;
  chatTooltip: string;
  chatUrl: string;
  rolesTitle: string;
  rolesTooltip: string;
  personId: string;
}

/** What every paged list card has: a page of groups of rows, or its refusal (the IT coordinators as keepers). */
interface PagedListCardData<G> {
  title: string;
  /** "Page 1 of 3 · 57 systems"; '' when refused or empty. */
  subtitle: string;
  notes: { text: string }[];
  emptyText: string;
  groups: G[];
  keepersText: string;
  keepers: NoMatchCardData['keepers'];
  hasPrevious: boolean;
  previousPage: number;
  previousTitle: string;
  hasNext: boolean;
  nextPage: number;
  nextTitle: string;
}

/**
 * A responsibility list page, or its refusal. The paging buttons carry the list, the unit id ('' = none) and a page
 * number only.
 */
export interface SystemListCardData extends PagedListCardData<{
  heading: string;
  systems: SystemListRowCardData[];
}> {
  list: string;
  unitId: string;
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

/**
 * A page of an organisation's open requests, or its refusal. Each row opens its request (`request.show`
 * { requestId }); the paging buttons carry the filter and a page number only.
 */
export interface OpenRequestsCardData extends PagedListCardData<{
  heading: string;
  requests: OpenRequestRowCardData[];
}> {
  /** 0 = no filter. */
  olderThanDays: number;
}

export interface OpenRequestRowCardData {
  /** What the request is about (system or item) and, for access, the change. */
  heading: string;
  /** '' or "Urgent". */
  urgentText: string;
  requesterText: string;
  waitingText: string;
  sinceText: string;
  requestId: string;
  showTitle: string;
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
  /** Example questions in order; `heading` ('' = none) starts a group (who is responsible, requests, ...). */
  examples: { text: string; heading: string }[];
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
  /** Local mode with ANSVAR_CLOCK_OFFSET: says the clock is shifted; '' otherwise. */
  clockText: string;
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
  /** Who acts (or stood in), who was skipped, the decision's reason or the work's note, the recorded values. */
  lines: { text: string }[];
  stateText: string;
  /** Adaptive Card text colour of `stateText`. */
  stateColor: 'Default' | 'Good' | 'Attention' | 'Warning' | 'Accent';
}

/**
 * One input of a work step on the request card (a quote's cost, a delivery's asset tags), with its value (prefilled,
 * or what the user typed before a refused click) and the problem with it ('' = none).
 */
export interface StepInputCardData {
  id: string;
  label: string;
  placeholder: string;
  value: string;
  multiline: boolean;
  maxLength: number;
  error: string;
}

/** A note on a request: who wrote it and when (`heading`), and the text as written. */
export interface RequestNoteCardData {
  heading: string;
  text: string;
}

/**
 * One request as one viewer sees it. Which buttons show is computed per viewer and state (`canDecide`,
 * `canCancel`, `canComplete`, `canNote`); the buttons carry `requestId` and `version` only. The button titles are
 * the current step's (Accept quote / Cancel order, Send quote, Delivered and registered ...).
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
  /** The current work step's own inputs, above its note. */
  stepInputs: StepInputCardData[];
  noteLabel: string;
  notePlaceholder: string;
  doneTitle: string;
  failedTitle: string;
  /** The latest notes, oldest first ('' title when there are none). */
  notesTitle: string;
  notes: RequestNoteCardData[];
  moreNotesText: string;
  /** The "add a note" input and button, for the requester, the subject and everyone on the route while open. */
  canNote: boolean;
  addNoteLabel: string;
  addNotePlaceholder: string;
  addNoteTitle: string;
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
  /** Buttons to switch between the two lists, and to order equipment. */
  mineTitle: string;
  awaitingTitle: string;
  orderEquipmentTitle: string;
}

/**
 * The equipment order form. Every input shows the user's value (after a refused submit) and the problem with it
 * ('' = none); the unit choice shows when the organisation has units.
 */
export interface EquipmentFormCardData {
  title: string;
  subtitle: string;
  /** An item the catalogue did not know ("I could not find X"), '' = none. */
  hintText: string;
  errorText: string;
  /** Idempotency key of this form: a retried submit stores one request. */
  formId: string;
  itemTypeLabel: string;
  itemTypePlaceholder: string;
  itemType: string;
  itemTypeChoices: { title: string; value: string }[];
  itemTypeError: string;
  hasModels: boolean;
  modelLabel: string;
  modelPlaceholder: string;
  model: string;
  modelChoices: { title: string; value: string }[];
  modelError: string;
  quantityLabel: string;
  quantity: number;
  quantityError: string;
  forWhomLabel: string;
  forWhomPlaceholder: string;
  forWhom: string;
  forWhomError: string;
  locationLabel: string;
  locationPlaceholder: string;
  location: string;
  locationError: string;
  justificationLabel: string;
  justificationPlaceholder: string;
  justification: string;
  justificationError: string;
  wantedByLabel: string;
  wantedBy: string;
  wantedByError: string;
  hasUnits: boolean;
  unitLabel: string;
  unitId: string;
  unitChoices: { title: string; value: string }[];
  unitError: string;
  submitTitle: string;
}

/** One registered item on the inventory card; the Discard button carries the item's id and version only. */
export interface InventoryItemCardData {
  heading: string;
  lines: { text: string }[];
  canDiscard: boolean;
  discardTitle: string;
  itemId: string;
  version: number;
  unitId: string;
}

/**
 * Registered equipment grouped by location, then type; or a refusal (notes only). With `confirmText`, the card asks
 * for the reason to discard the one item it shows (the reason input is the confirmation).
 */
export interface InventoryCardData {
  title: string;
  noticeText: string;
  notes: { text: string }[];
  emptyText: string;
  groups: { heading: string; types: { heading: string; items: InventoryItemCardData[] }[] }[];
  moreText: string;
  confirmText: string;
  reasonLabel: string;
  confirmTitle: string;
  confirmItemId: string;
  confirmVersion: number;
  confirmUnitId: string;
  /** Footer: one's own equipment, and the unit's list again ('' unitId leaves that out). */
  mineTitle: string;
  refreshTitle: string;
  unitId: string;
}

/**
 * The hygiene check of one organisation (the daily digest or the typed question), or its refusal (no sections, the
 * IT coordinators as keepers). Findings are grouped by kind, each heading with its exact count; only text, no
 * buttons but the keepers' chat links.
 */
export interface HygieneCardData {
  title: string;
  subtitle: string;
  notes: { text: string }[];
  emptyText: string;
  sections: { heading: string; lines: { title: string; flag: string; detail: string }[]; moreText: string }[];
  keepersText: string;
  keepers: NoMatchCardData['keepers'];
}

/**
 * Register care (cards/careCard.ts): a confirmation, a form, a result or a refusal. `action` names the one verb its
 * confirm button sends ('' = no buttons); the buttons carry ids and the register revision only, and every input,
 * toggle and line is computed here. Toggles are on by default (a role handed over, a holder replaced).
 */
export interface CareCardData {
  title: string;
  noticeText: string;
  lines: { text: string }[];
  inputs: {
    id: string;
    label: string;
    placeholder: string;
    value: string;
    maxLength: number;
    error: string;
  }[];
  /** '' = no unit choice. */
  unitLabel: string;
  unitId: string;
  unitChoices: { title: string; value: string }[];
  unitError: string;
  /** '' = no personal-data toggle. */
  personalDataTitle: string;
  personalData: string;
  /** '' = no risk-analysis date input (the owner check's); the value is YYYY-MM-DD or ''. */
  riskAnalysisLabel: string;
  riskAnalysisAt: string;
  riskAnalysisError: string;
  togglesIntro: string;
  toggles: { id: string; title: string }[];
  moreText: string;
  keepersText: string;
  keepers: NoMatchCardData['keepers'];
  action:
    '' | 'system.add' | 'system.edit' | 'system.confirm' | 'role.assign' | 'role.end' | 'roles.handover';
  confirmTitle: string;
  cancelTitle: string;
  revision: number;
  organisationId: string;
  systemId: string;
  role: string;
  personId: string;
  unitIds: string;
  assignmentId: string;
  fromId: string;
  toId: string;
}

/** "Your access ends soon: renew?": the button opens the access form prefilled from the granted request. */
export interface RenewalCardData {
  title: string;
  text: string;
  renewTitle: string;
  systemId: string;
  requestId: string;
}

/**
 * An access review (cards/reviewCard.ts): the entries as a remove toggle and a reason each; the one button decides
 * the whole campaign (the removals chosen, everything else kept). Without `submitTitle` the card only tells (a
 * decided campaign, the coordinators' progress list).
 */
export interface ReviewCardData {
  title: string;
  noticeText: string;
  lines: { text: string }[];
  /** The coordinators' list: a line per campaign with its download button. */
  rows: { text: string; downloadTitle: string; campaignId: string }[];
  entries: {
    toggleId: string;
    toggleTitle: string;
    removeValue: string;
    reasonId: string;
    reasonLabel: string;
    reasonValue: string;
    error: string;
  }[];
  moreText: string;
  /** '' = no button. */
  submitTitle: string;
  campaignId: string;
  version: number;
}

export interface CardDataByName {
  systemCard: SystemCardData;
  choiceCard: ChoiceCardData;
  noMatchCard: NoMatchCardData;
  unknownPersonCard: UnknownPersonCardData;
  personRolesCard: PersonRolesCardData;
  organisationRoleCard: OrganisationRoleCardData;
  systemListCard: SystemListCardData;
  openRequestsCard: OpenRequestsCardData;
  helpCard: HelpCardData;
  welcomeCard: WelcomeCardData;
  noticeCard: NoticeCardData;
  requestFormCard: RequestFormCardData;
  requestCard: RequestCardData;
  requestListCard: RequestListCardData;
  equipmentFormCard: EquipmentFormCardData;
  inventoryCard: InventoryCardData;
  hygieneCard: HygieneCardData;
  careCard: CareCardData;
  renewalCard: RenewalCardData;
  reviewCard: ReviewCardData;
}

export type CardName = keyof CardDataByName;
