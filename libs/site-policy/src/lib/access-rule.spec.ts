import { describeAccess, isUnrestricted, mayUse, type AccessRule, type Principal } from './access-rule';

const alice: Principal = { username: 'alice', groups: ['cae-users'] };
const bob: Principal = { username: 'bob', groups: ['gpu-users', 'staff'] };
const carol: Principal = { username: 'carol', groups: [] };

describe('isUnrestricted', () => {
  it.each<[string, AccessRule | undefined]>([
    ['no rule', undefined],
    ['an empty rule', {}],
    ['a rule with empty lists', { groups: [], users: [] }],
  ])('%s is unrestricted', (_, rule) => {
    expect(isUnrestricted(rule)).toBe(true);
  });

  it.each<[string, AccessRule]>([
    ['a group', { groups: ['cae-users'] }],
    ['a user', { users: ['alice'] }],
    ['a group beside an empty user list', { groups: ['cae-users'], users: [] }],
    ['a user beside an empty group list', { groups: [], users: ['alice'] }],
  ])('a rule naming %s is restricted', (_, rule) => {
    expect(isUnrestricted(rule)).toBe(false);
  });
});

describe('mayUse', () => {
  it('lets everyone in when there is no rule', () => {
    for (const who of [alice, bob, carol]) expect(mayUse(undefined, who)).toBe(true);
  });

  it('lets everyone in when the rule names nobody', () => {
    for (const rule of [{}, { groups: [], users: [] }]) {
      for (const who of [alice, bob, carol]) expect(mayUse(rule, who)).toBe(true);
    }
  });

  it('with groups only, lets in members of any named group and no one else', () => {
    const rule: AccessRule = { groups: ['cae-users', 'gpu-users'] };
    expect(mayUse(rule, alice)).toBe(true);
    expect(mayUse(rule, bob)).toBe(true);
    expect(mayUse(rule, carol)).toBe(false);
    expect(mayUse(rule, { username: 'dave', groups: ['staff'] })).toBe(false);
  });

  it('matches a group by its whole name, not a prefix or a username', () => {
    const rule: AccessRule = { groups: ['cae'] };
    expect(mayUse(rule, alice)).toBe(false);
    expect(mayUse(rule, { username: 'cae', groups: [] })).toBe(false);
  });

  it('with users only, lets in the named users and no one else, whatever their groups', () => {
    const rule: AccessRule = { users: ['alice', 'carol'] };
    expect(mayUse(rule, alice)).toBe(true);
    expect(mayUse(rule, carol)).toBe(true);
    expect(mayUse(rule, bob)).toBe(false);
    expect(mayUse(rule, { username: 'dave', groups: ['alice'] })).toBe(false);
  });

  it('with both, lets in a member of a named group or a named user', () => {
    const rule: AccessRule = { groups: ['gpu-users'], users: ['carol'] };
    expect(mayUse(rule, bob)).toBe(true);
    expect(mayUse(rule, carol)).toBe(true);
    expect(mayUse(rule, alice)).toBe(false);
  });
});

describe('describeAccess', () => {
  it('names groups and users: "members of a, b or c, and alice"', () => {
    expect(describeAccess({ groups: ['a', 'b', 'c'], users: ['alice'] })).toBe(
      'members of a, b or c, and alice',
    );
  });

  it.each<[AccessRule, string]>([
    [{ groups: ['cae-users'] }, 'members of cae-users'],
    [{ groups: ['cae-users', 'gpu-users'] }, 'members of cae-users or gpu-users'],
    [
      { groups: ['cae-users', 'gpu-users'], users: ['alice'] },
      'members of cae-users or gpu-users, and alice',
    ],
    [{ users: ['alice'] }, 'alice'],
    [{ users: ['alice', 'bob'] }, 'alice or bob'],
    [{ users: ['alice', 'bob', 'carol'] }, 'alice, bob or carol'],
    [{ groups: ['staff'], users: ['alice', 'bob'] }, 'members of staff, and alice or bob'],
    [{ groups: [], users: ['alice'] }, 'alice'],
    [{ groups: ['staff'], users: [] }, 'members of staff'],
  ])('%j → "%s"', (rule, wording) => {
    expect(describeAccess(rule)).toBe(wording);
  });

  it('says "everyone" for a rule that names nobody', () => {
    expect(describeAccess({})).toBe('everyone');
    expect(describeAccess({ groups: [], users: [] })).toBe('everyone');
  });
});
