// Every migration, in order. Listed by hand because the API is bundled (no glob at run time).
import { CreateSessions1764310000000 } from './1764310000000-create-sessions';
import { CreateUsers1764320000000 } from './1764320000000-create-users';
import { CreateLoginSessions1764320000001 } from './1764320000001-create-login-sessions';
import { IndexSessionsByCreatedAt1764330000000 } from './1764330000000-index-sessions-by-created-at';
import { GovernUsers1764340000000 } from './1764340000000-govern-users';
import { RecordSessionHolds1764340000001 } from './1764340000001-record-session-holds';
import { CreateAuditEvents1764340000002 } from './1764340000002-create-audit-events';
import { RecordSessionExtensions1764350000000 } from './1764350000000-record-session-extensions';
import { CreateLaunchSettings1764360000000 } from './1764360000000-create-launch-settings';
import { RecordSessionIdleness1764360000001 } from './1764360000001-record-session-idleness';

export const MIGRATIONS = [
  CreateSessions1764310000000,
  CreateUsers1764320000000,
  CreateLoginSessions1764320000001,
  IndexSessionsByCreatedAt1764330000000,
  GovernUsers1764340000000,
  RecordSessionHolds1764340000001,
  CreateAuditEvents1764340000002,
  RecordSessionExtensions1764350000000,
  CreateLaunchSettings1764360000000,
  RecordSessionIdleness1764360000001,
];
