// @vizportal/session-domain: the Session model, its state machine and the API/web contract
// (sessions, the app catalog, the cluster, health) and the words a user reads (durations included).
// Pure TypeScript with no dependencies, so the API and the browser share one source of truth.
export {
  SESSION_STATES,
  LIVE_SESSION_STATES,
  TERMINAL_SESSION_STATES,
  isSessionState,
  isLive,
  isTerminal,
  type SessionState,
  type LiveSessionState,
  type TerminalSessionState,
} from './lib/session-state';
export {
  END_REASONS,
  isEndReason,
  createSession,
  type EndReason,
  type NewSession,
  type Session,
  type SessionValues,
  type IdleWarning,
  type SlurmJobRecord,
  type VncEndpoint,
} from './lib/session';
export {
  SLURM_BASE_STATES,
  OBSERVATION_KINDS,
  END_MARKER_REASONS,
  type EndMarkerReason,
  type SlurmBaseState,
  type Observation,
  type ObservationKind,
  type SubmittedObservation,
  type SubmitRejectedObservation,
  type SlurmJobObservation,
  type JobNotListedObservation,
  type EndMarkerObservation,
  type ReadinessObservation,
  type SchedulerUnreachableObservation,
  type UserStopObservation,
  type ReadinessTimeoutObservation,
  type TimeExtendedObservation,
  type ViewedObservation,
  type InputObservation,
  type IdleKeptObservation,
  type IdleWarningObservation,
  type IdleStopObservation,
} from './lib/observation';
export {
  DEFAULT_TRANSITION_RULES,
  transition,
  needsReadinessTimeout,
  type TransitionRules,
  type TransitionResult,
  type SessionEvent,
  type SessionField,
} from './lib/transition';
export { describeSession, formatDuration, type DurationStyle, type SessionView } from './lib/session-view';
export { describeSlurmReason } from './lib/slurm-reason';
export { extensionRefusal, type ExtensionLimits } from './lib/extension';
export {
  DEFAULT_IDLE_LIMITS,
  idleStopReason,
  idleVerdict,
  type IdleCause,
  type IdleLimits,
  type IdleSession,
  type IdleVerdict,
  type IdleWatch,
} from './lib/idle';
export {
  toSessionDto,
  SESSION_UPDATED_EVENT,
  SESSION_REMOVED_EVENT,
  SCHEDULER_STATUS_EVENT,
  SESSION_VIEWERS_EVENT,
  DEFAULT_SESSION_DTO_RULES,
  type SessionDto,
  type SessionDtoRules,
  type SessionViewersDto,
  type VncViewerDto,
  type SessionListDto,
  type SchedulerStatusDto,
  type SessionSocketEvents,
} from './lib/session.dto';
export {
  FORM_FIELD_TYPES,
  type AppDto,
  type FormFieldDto,
  type FormFieldOptionDto,
  type FormFieldType,
  type FormFieldValue,
} from './lib/catalog.dto';
export {
  MAX_PRESETS_PER_APP,
  PRESET_NAME_PATTERN,
  PRESET_NAME_RULE,
  type LaunchPresetDto,
  type LaunchSettingsDto,
} from './lib/launch-settings.dto';
export { type ClusterDto, type NodeDto, type PartitionDto } from './lib/cluster.dto';
export {
  HEALTH_STATUSES,
  HEALTH_INDICATOR_STATUSES,
  type DatabaseHealthDto,
  type HealthIndicatorStatus,
  type HealthIndicatorsDto,
  type HealthReportDto,
  type HealthStatus,
  type SlurmHealthDto,
} from './lib/health.dto';
