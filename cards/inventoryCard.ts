import type { Language } from '../data/model.js';
import type { InventoryItem } from '../data/requestModel.js';
import { formatDate, formatDateTime, formatList, t } from '../services/i18n/index.js';
import type { Reply } from './cardParts.js';
import { cardRenderer } from './render.js';
import { itemTypeName, modelName, personNames, type RequestNames } from './requestText.js';
import { clip, summaryOf } from './text.js';

/**
 * Registered equipment as a card: what is registered to the asker, or what a unit has, grouped by location and then
 * type, each item with its model, asset tag, holder or room and registration date. Coordinators get a Discard button
 * per item; it asks for the reason on a card of its own (the reason input is the confirmation). Everything from the
 * register and from users is laid out in TextRuns only.
 */

/** Caps that keep the card under the 80 KB budget whatever a unit owns. */
export const INVENTORY_LIMITS = { items: 40, coordinators: 8 } as const;

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

const render = cardRenderer<InventoryCardData>('inventoryCard');

export type InventoryScope = { kind: 'mine' } | { kind: 'unit'; unitId: string; unitName: string };

/** What the card answers: the items, or why there are none to show. */
export type InventoryContent =
  | { kind: 'items'; items: readonly InventoryItem[]; mayDiscard: boolean }
  /** Not allowed to see the unit's equipment: whom to turn to. */
  | { kind: 'refused'; coordinatorIds: readonly string[] }
  | { kind: 'unknownUnit'; query: string }
  | { kind: 'noUnit' };

/** A line above the items after a click. */
export type InventoryNotice =
  | { kind: 'discarded'; item: InventoryItem }
  | { kind: 'stale' }
  | { kind: 'alreadyDiscarded'; item: InventoryItem }
  | { kind: 'reasonRequired' }
  | { kind: 'gone' };

export interface InventoryReplyInput {
  language: Language;
  names: RequestNames;
  scope: InventoryScope;
  content: InventoryContent;
  notice?: InventoryNotice;
  /** Shows only this item, with the reason input and the button that discards it. */
  confirm?: InventoryItem;
}

export function inventoryReply(input: InventoryReplyInput): Reply {
  const lang = input.language;
  const { names, content, scope } = input;
  const person = personNames(names);
  const title =
    scope.kind === 'mine'
      ? t(lang, 'inventory.mine.title')
      : clip(t(lang, 'inventory.unit.title', { unit: scope.unitName }), 200);
  const notes: { text: string }[] = [];
  let items: readonly InventoryItem[] = [];
  let mayDiscard = false;
  switch (content.kind) {
    case 'items':
      items = input.confirm ? [input.confirm] : content.items;
      mayDiscard = content.mayDiscard && !input.confirm;
      break;
    case 'refused': {
      const shown = content.coordinatorIds.slice(0, INVENTORY_LIMITS.coordinators).map(person);
      notes.push({
        text:
          shown.length > 0
            ? clip(t(lang, 'inventory.refused', { names: formatList(lang, shown) }), 1200)
            : t(lang, 'inventory.refusedNoKeepers'),
      });
      break;
    }
    case 'unknownUnit':
      notes.push({ text: clip(t(lang, 'inventory.unknownUnit', { unit: clip(content.query, 120) }), 300) });
      break;
    case 'noUnit':
      notes.push({ text: t(lang, 'inventory.noUnit') });
      break;
  }
  const sorted = [...items].sort(
    (a, b) =>
      a.location.localeCompare(b.location, lang) ||
      typeLabel(a).localeCompare(typeLabel(b), lang) ||
      a.assetTag.localeCompare(b.assetTag, lang),
  );
  const shown = sorted.slice(0, INVENTORY_LIMITS.items);
  const groups: InventoryCardData['groups'] = [];
  for (const item of shown) {
    const location = clip(item.location, 200);
    let group = groups.at(-1);
    if (group?.heading !== location) {
      group = { heading: location, types: [] };
      groups.push(group);
    }
    const type = typeLabel(item);
    let typeGroup = group.types.at(-1);
    if (typeGroup?.heading !== type) {
      typeGroup = { heading: type, items: [] };
      group.types.push(typeGroup);
    }
    typeGroup.items.push(itemData(item, mayDiscard));
  }
  const confirm = input.confirm;
  const data: InventoryCardData = {
    title,
    noticeText: input.notice ? noticeText(input.notice) : '',
    notes,
    emptyText: content.kind === 'items' && items.length === 0 ? t(lang, 'inventory.empty') : '',
    groups,
    moreText:
      sorted.length > shown.length ? t(lang, 'inventory.more', { count: sorted.length - shown.length }) : '',
    confirmText: confirm ? t(lang, 'inventory.discard.title') : '',
    reasonLabel: t(lang, 'inventory.discard.reason'),
    confirmTitle: t(lang, 'inventory.discard.confirm'),
    confirmItemId: confirm?.id ?? '',
    confirmVersion: confirm?.version ?? 0,
    confirmUnitId: scope.kind === 'unit' ? scope.unitId : '',
    mineTitle: t(lang, 'inventory.mineButton'),
    refreshTitle: t(lang, 'inventory.refresh'),
    unitId: scope.kind === 'unit' ? scope.unitId : '',
  };
  const summary = [
    data.noticeText,
    `${title}.`,
    ...notes.map((n) => n.text),
    data.emptyText,
    groups
      .flatMap((g) => g.types.flatMap((ty) => ty.items.map((i) => `${g.heading}: ${i.heading}`)))
      .join('; '),
    data.moreText,
  ]
    .filter((s) => s !== '')
    .join(' ');
  return { card: render(data), summary: summaryOf(summary) };

  function typeLabel(item: InventoryItem): string {
    return itemTypeName(names.catalogue?.(item.organisationId), item.itemType, lang);
  }

  /** Under its type's heading: the model (else the asset tag), then the tag, holder or room, and date. */
  function itemData(item: InventoryItem, discard: boolean): InventoryItemCardData {
    const catalogue = names.catalogue?.(item.organisationId);
    const tag = clip(t(lang, 'inventory.item.tag', { tag: item.assetTag }), 200);
    const lines = item.model ? [{ text: tag }] : [];
    const holder = item.holderId !== undefined ? person(item.holderId) : item.room;
    if (holder) lines.push({ text: clip(t(lang, 'inventory.item.holder', { holder }), 300) });
    lines.push({ text: t(lang, 'inventory.item.registered', { date: formatDate(lang, item.registeredAt) }) });
    return {
      heading: item.model ? modelName(catalogue, item.itemType, item.model) : tag,
      lines,
      canDiscard: discard && item.status === 'in_use',
      discardTitle: t(lang, 'inventory.discard'),
      itemId: item.id,
      version: item.version,
      unitId: scope.kind === 'unit' ? scope.unitId : '',
    };
  }

  function noticeText(notice: InventoryNotice): string {
    switch (notice.kind) {
      case 'discarded':
        return clip(
          t(lang, 'inventory.notice.discarded', {
            item: `${typeLabel(notice.item)} (${clip(notice.item.assetTag, 100)})`,
          }),
          300,
        );
      case 'stale':
        return t(lang, 'inventory.notice.stale');
      case 'alreadyDiscarded':
        return t(lang, 'inventory.notice.alreadyDiscarded', {
          name: person(notice.item.discardedBy ?? ''),
          at: formatDateTime(lang, notice.item.discardedAt ?? ''),
        });
      case 'reasonRequired':
        return t(lang, 'inventory.notice.reasonRequired');
      case 'gone':
        return t(lang, 'inventory.notice.gone');
    }
  }
}
