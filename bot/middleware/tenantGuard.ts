import type { Activity } from 'botbuilder';

/**
 * The tenant allow-list. Bot Framework authentication proves that the channel sent the activity, not which tenant
 * it came from is one we serve: any Teams tenant can install a multi-tenant bot. bot/http.ts runs this after
 * authentication and before the turn, so an activity from another tenant (or with no tenant) never reaches a
 * handler.
 */

export type TenantDecision =
  | { allowed: true; tenantId: string | undefined }
  | { allowed: false; reason: 'noTenant' | 'otherTenant'; tenantId: string | undefined };

/** The Entra tenant Teams states for the activity: `channelData.tenant.id`, else `conversation.tenantId`. */
export function tenantIdOf(activity: Partial<Activity>): string | undefined {
  const channelData: unknown = activity.channelData;
  const fromChannelData =
    typeof channelData === 'object' && channelData !== null
      ? (channelData as { tenant?: { id?: unknown } }).tenant?.id
      : undefined;
  const candidate = fromChannelData ?? activity.conversation?.tenantId;
  return typeof candidate === 'string' && candidate.trim() !== '' ? candidate.trim() : undefined;
}

/**
 * Allowed iff the activity's tenant is in `allowedTenantIds` (compared case-insensitively: GUIDs). When both places
 * name a tenant they must agree, so a caller cannot pair an allowed tenant with a conversation of another.
 * An empty allow-list admits everything; config only permits that in local mode.
 */
export function checkTenant(
  activity: Partial<Activity>,
  allowedTenantIds: readonly string[],
): TenantDecision {
  const tenantId = tenantIdOf(activity);
  if (allowedTenantIds.length === 0) return { allowed: true, tenantId };
  if (tenantId === undefined) return { allowed: false, reason: 'noTenant', tenantId };
  const conversationTenant = activity.conversation?.tenantId;
  if (
    typeof conversationTenant === 'string' &&
    conversationTenant.trim() !== '' &&
    conversationTenant.trim().toLowerCase() !== tenantId.toLowerCase()
  ) {
    return { allowed: false, reason: 'otherTenant', tenantId };
  }
  const allowed = allowedTenantIds.some((id) => id.toLowerCase() === tenantId.toLowerCase());
  return allowed ? { allowed: true, tenantId } : { allowed: false, reason: 'otherTenant', tenantId };
}
