import { describeSlurmReason } from './slurm-reason';

describe('describeSlurmReason', () => {
  it.each([
    ['Resources', 'waiting for resources'],
    ['(Resources)', 'waiting for resources'],
    ['Priority', 'waiting behind higher-priority jobs'],
    ['JobHeldUser', 'held'],
    ['JobHeldAdmin', 'held by an administrator'],
    ['ReqNodeNotAvail, UnavailableNodes:viz01', 'the requested nodes are not available'],
    ['PartitionDown', 'the partition is down'],
    ['QOSMaxJobsPerUserLimit', 'you already run as many jobs as allowed'],
    ['AssocGrpCpuLimit', "your group's CPU limit is reached"],
    ['Dependency', 'waiting for another job to finish'],
    ['BeginTime', 'waiting for its start time'],
    ['NodeDown', 'a node it needs is down'],
    ['launch failed requeued held', 'the launch failed; held'],
    // Families and unknowns stay readable.
    ['QOSGrpNodeLimit', 'a usage limit is reached (QOSGrpNodeLimit)'],
    ['AssocGrpGRESRunMinutes', 'a usage limit is reached (AssocGrpGRESRunMinutes)'],
    ['MaxCpuPerNode', 'max cpu per node'],
    ['FrontEndDown', 'front end down'],
    ['Nodes required for job are DOWN', 'Nodes required for job are DOWN'],
  ])('%s → %s', (reason, phrase) => {
    expect(describeSlurmReason(reason)).toBe(phrase);
  });

  it.each([null, undefined, '', '  ', 'None', '(None)'])('%p says nothing', (reason) => {
    expect(describeSlurmReason(reason)).toBeNull();
  });
});
