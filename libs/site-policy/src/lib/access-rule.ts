// Who may use a thing a site restricts (an app, a partition): named Unix groups and/or users.
// No rule, or a rule that names nobody, means everyone.

export interface AccessRule {
  groups?: readonly string[];
  users?: readonly string[];
}

/** The person asking, as the rules see them: their account and their groups. */
export interface Principal {
  username: string;
  groups: readonly string[];
}

export function isUnrestricted(rule: AccessRule | undefined): boolean {
  return !rule || ((rule.groups?.length ?? 0) === 0 && (rule.users?.length ?? 0) === 0);
}

export function mayUse(rule: AccessRule | undefined, who: Principal): boolean {
  if (!rule || isUnrestricted(rule)) return true;
  if (rule.users?.includes(who.username)) return true;
  return (rule.groups ?? []).some((group) => who.groups.includes(group));
}

/** "members of cae-users or gpu-users, and alice": for the sentence a refused user reads. */
export function describeAccess(rule: AccessRule): string {
  const groups = rule.groups ?? [];
  const users = rule.users ?? [];
  const parts: string[] = [];
  if (groups.length > 0) parts.push(`members of ${orList(groups)}`);
  if (users.length > 0) parts.push(orList(users));
  return parts.join(', and ') || 'everyone';
}

function orList(items: readonly string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
