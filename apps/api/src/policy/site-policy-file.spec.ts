// The site policy file (SITE_POLICY_FILE) as the API loads it at start-up, and SitePolicy's answers
// from it. A typo must stop the API with the file and the field named, never leave a limit
// silently unenforced; and the limits layer as documented: file defaults < groups < file user <
// the admin's override of the account.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_LIMITS } from '@vizportal/site-policy';
import { OPEN_SITE_POLICY, type SitePolicyFile, loadSitePolicyFile } from './site-policy-file';
import { SitePolicy } from './site-policy.service';

const VALID = `
partitions:
  gpu:
    groups: [gpu-users]
    users: [carol]
  cae:
    groups: [cae-users]
  open: {}
quotas:
  defaults:
    liveSessions: 2
    cpus: 8
    gpus: 0
    sessionHours: 40.5
  groups:
    gpu-users: { gpus: 2, cpus: 16 }
    staff: { liveSessions: null }
  users:
    alice: { cpus: 32 }
`;

describe('loadSitePolicyFile', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vizportal-policy-'))));
  afterEach(() => {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  });

  const file = (text: string, name = 'policy.yaml') => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it("is the open policy when SITE_POLICY_FILE is ''", () => {
    expect(loadSitePolicyFile('')).toBe(OPEN_SITE_POLICY);
    expect(OPEN_SITE_POLICY).toEqual({
      partitions: {},
      quotas: { defaults: {}, groups: {}, users: {} },
      // Idle auto-stop is on by default: a desktop nobody has had open for 2 h is stopped.
      idle: { disconnectedMinutes: 120, noInputMinutes: 0, warningMinutes: 10, apps: {} },
    });
  });

  it('parses a valid file: partitions, and quota defaults, groups and users', () => {
    expect(loadSitePolicyFile(file(VALID))).toEqual({
      partitions: {
        gpu: { groups: ['gpu-users'], users: ['carol'] },
        // A rule's missing lists are empty, which mayUse reads as open to all.
        cae: { groups: ['cae-users'], users: [] },
        open: { groups: [], users: [] },
      },
      quotas: {
        defaults: { liveSessions: 2, cpus: 8, gpus: 0, sessionHours: 40.5 },
        groups: { 'gpu-users': { gpus: 2, cpus: 16 }, staff: { liveSessions: null } },
        users: { alice: { cpus: 32 } },
      },
      idle: { disconnectedMinutes: 120, noInputMinutes: 0, warningMinutes: 10, apps: {} },
    });
  });

  it('reads an empty file, or one with only some sections, as open with the rest defaulted', () => {
    expect(loadSitePolicyFile(file(''))).toEqual(OPEN_SITE_POLICY);
    expect(loadSitePolicyFile(file('quotas:\n  defaults: { cpus: 4 }\n'))).toEqual({
      partitions: {},
      quotas: { defaults: { cpus: 4 }, groups: {}, users: {} },
      idle: OPEN_SITE_POLICY.idle,
    });
  });

  // Each bad file fails naming the file, then the field's path and what is wrong with it.
  const failure = (text: string): string => {
    const path = file(text);
    try {
      loadSitePolicyFile(path);
    } catch (error) {
      const message = (error as Error).message;
      expect(message.startsWith(`SITE_POLICY_FILE ${path} is not valid:\n`)).toBe(true);
      return message;
    }
    throw new Error('the file was accepted');
  };

  it('reads the idle limits, defaulting what is left out, and refuses a bad one naming it', () => {
    const idle = loadSitePolicyFile(
      file('idle:\n  warningMinutes: 5\n  apps:\n    paraview: { disconnectedMinutes: 0 }\n'),
    );
    expect(idle.idle).toEqual({
      disconnectedMinutes: 120,
      noInputMinutes: 0,
      warningMinutes: 5,
      apps: { paraview: { disconnectedMinutes: 0 } },
    });
    expect(failure('idle:\n  disconnectedMinutes: -5\n')).toMatch(/^ {2}idle\.disconnectedMinutes: /m);
    // The no-input clock needs the proxy to see input, which it does not yet: refused, site-wide and per app.
    expect(failure('idle:\n  noInputMinutes: 480\n')).toMatch(
      /^ {2}idle\.noInputMinutes: must be 0 in this version/m,
    );
    expect(failure('idle:\n  apps:\n    cae-pre: { noInputMinutes: 60 }\n')).toMatch(
      /^ {2}idle\.apps\.cae-pre\.noInputMinutes: must be 0/m,
    );
    expect(failure('idle:\n  apps:\n    paraview: { warningMinutes: 5 }\n')).toMatch(
      /^ {2}idle\.apps\.paraview: .*warningMinutes/m,
    );
  });

  it('refuses an unknown key, at the top, in a section and in a quota, naming where', () => {
    expect(failure('partitons: {}\n')).toMatch(/^ {2}\(top\): .*partitons/m);
    expect(failure('quotas:\n  default: { cpus: 1 }\n')).toMatch(/^ {2}quotas: .*default/m);
    expect(failure('quotas:\n  users:\n    alice: { cpu: 4 }\n')).toMatch(
      /^ {2}quotas\.users\.alice: .*cpu/m,
    );
    expect(failure('partitions:\n  gpu: { group: [a] }\n')).toMatch(/^ {2}partitions\.gpu: .*group/m);
  });

  it('refuses a negative or fractional limit, naming the field', () => {
    expect(failure('quotas:\n  defaults: { cpus: -1 }\n')).toMatch(/^ {2}quotas\.defaults\.cpus: .*0/m);
    expect(failure('quotas:\n  groups:\n    staff: { gpus: -2 }\n')).toMatch(
      /^ {2}quotas\.groups\.staff\.gpus: /m,
    );
    expect(failure('quotas:\n  defaults: { sessionHours: -0.5 }\n')).toMatch(
      /^ {2}quotas\.defaults\.sessionHours: /m,
    );
    expect(failure('quotas:\n  defaults: { liveSessions: 1.5 }\n')).toMatch(
      /^ {2}quotas\.defaults\.liveSessions: /m,
    );
    expect(failure('quotas:\n  defaults: { cpus: "4" }\n')).toMatch(/^ {2}quotas\.defaults\.cpus: /m);
  });

  it('refuses a bad group or user name, naming it', () => {
    const groups = failure('quotas:\n  groups:\n    "bad group": { cpus: 1 }\n');
    expect(groups).toMatch(/^ {2}quotas\.groups\.bad group: /m);
    expect(failure('quotas:\n  users:\n    "-alice": { cpus: 1 }\n')).toMatch(
      /^ {2}quotas\.users\.-alice: /m,
    );
    expect(failure('partitions:\n  gpu: { groups: ["gpu users"] }\n')).toMatch(
      /^ {2}partitions\.gpu\.groups\.0: must be a Unix user or group name$/m,
    );
  });

  it('lists every problem of a file, not only the first', () => {
    const message = failure('quotas:\n  defaults: { cpus: -1, gpus: -1 }\n');
    expect(message).toMatch(/quotas\.defaults\.cpus: /);
    expect(message).toMatch(/quotas\.defaults\.gpus: /);
  });

  it('fails clearly when the file is missing, unreadable or not YAML', () => {
    const missing = join(dir, 'missing.yaml');
    expect(() => loadSitePolicyFile(missing)).toThrow(
      new RegExp(`^SITE_POLICY_FILE ${missing} cannot be read: ENOENT`),
    );
    expect(() => loadSitePolicyFile(dir)).toThrow(
      new RegExp(`^SITE_POLICY_FILE ${dir} cannot be read: EISDIR`),
    );
    const broken = file('partitions: [unclosed\n', 'broken.yaml');
    expect(() => loadSitePolicyFile(broken)).toThrow(
      new RegExp(`^SITE_POLICY_FILE ${broken} is not valid YAML: `),
    );
  });
});

describe('SitePolicy', () => {
  const policyFile: SitePolicyFile = {
    partitions: {
      gpu: { groups: ['gpu-users'], users: ['carol'] },
      everyone: { groups: [], users: [] },
    },
    quotas: {
      defaults: { liveSessions: 2, cpus: 8, gpus: 0, sessionHours: 40 },
      groups: { 'gpu-users': { gpus: 2, cpus: 16 }, big: { cpus: 64 }, staff: { liveSessions: null } },
      users: { alice: { cpus: 32, sessionHours: 100 }, dave: { gpus: 1 } },
    },
    idle: {
      disconnectedMinutes: 120,
      noInputMinutes: 0,
      warningMinutes: 10,
      apps: {
        paraview: { disconnectedMinutes: 480 },
        'cae-pre': { disconnectedMinutes: 0, noInputMinutes: 60 },
      },
    },
  };
  const policy = new SitePolicy(policyFile);

  it("gives an app the site's idle limits, with its own overrides", () => {
    expect(policy.idleLimitsFor('desktop')).toEqual({
      disconnectedMinutes: 120,
      noInputMinutes: 0,
      warningMinutes: 10,
    });
    expect(policy.idleLimitsFor('paraview')).toEqual({
      disconnectedMinutes: 480,
      noInputMinutes: 0,
      warningMinutes: 10,
    });
    expect(policy.idleLimitsFor('cae-pre')).toEqual({
      disconnectedMinutes: 0,
      noInputMinutes: 60,
      warningMinutes: 10,
    });
  });
  const who = (username: string, ...groups: string[]) => ({ username, groups });

  it('lets into a limited partition its groups and users only', () => {
    expect(policy.mayUsePartition('gpu', who('bob', 'gpu-users'))).toBe(true);
    expect(policy.mayUsePartition('gpu', who('carol'))).toBe(true);
    expect(policy.mayUsePartition('gpu', who('eve', 'cae-users'))).toBe(false);
    expect(policy.mayUsePartition('gpu', who('eve'))).toBe(false);
  });

  it('leaves a partition that is not named, or names nobody, open to all', () => {
    expect(policy.mayUsePartition('batch', who('eve'))).toBe(true);
    expect(policy.mayUsePartition('everyone', who('eve'))).toBe(true);
    expect(policy.partitionRule('batch')).toBeUndefined();
    expect(policy.partitionRule('gpu')).toEqual(policyFile.partitions.gpu);
  });

  it('gives the file defaults to a user with no group or user entry', () => {
    expect(policy.limitsFor(who('eve'))).toEqual({ liveSessions: 2, cpus: 8, gpus: 0, sessionHours: 40 });
  });

  it('lets a group raise the defaults, the most generous group winning and a null lifting the limit', () => {
    expect(policy.limitsFor(who('bob', 'gpu-users'))).toEqual({
      liveSessions: 2,
      cpus: 16,
      gpus: 2,
      sessionHours: 40,
    });
    expect(policy.limitsFor(who('bob', 'gpu-users', 'big', 'staff'))).toEqual({
      liveSessions: null,
      cpus: 64,
      gpus: 2,
      sessionHours: 40,
    });
  });

  it("puts the file's user entry over the groups, and the account override over both", () => {
    // alice's file entry (32 CPUs) beats big's 64: the user's own line is the site's word on them.
    expect(policy.limitsFor(who('alice', 'big', 'gpu-users'))).toEqual({
      liveSessions: 2,
      cpus: 32,
      gpus: 2,
      sessionHours: 100,
    });
    expect(policy.limitsFor(who('alice', 'big', 'gpu-users'), { cpus: 4, liveSessions: 5 })).toEqual({
      liveSessions: 5,
      cpus: 4,
      gpus: 2,
      sessionHours: 100,
    });
    // An override of null lifts a limit that the file sets.
    expect(policy.limitsFor(who('alice'), { sessionHours: null })).toEqual({
      liveSessions: 2,
      cpus: 32,
      gpus: 0,
      sessionHours: null,
    });
    // The override touches only the quotas it names; dave's file entry still stands for the rest.
    expect(policy.limitsFor(who('dave', 'gpu-users'), { cpus: 1 })).toEqual({
      liveSessions: 2,
      cpus: 1,
      gpus: 1,
      sessionHours: 40,
    });
  });

  it('has no limits at all under the open policy', () => {
    expect(new SitePolicy(OPEN_SITE_POLICY).limitsFor(who('eve', 'gpu-users'))).toEqual(NO_LIMITS);
    expect(new SitePolicy(OPEN_SITE_POLICY).mayUsePartition('gpu', who('eve'))).toBe(true);
  });
});
