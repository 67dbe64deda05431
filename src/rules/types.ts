// Input and output of request evaluation (SPEC §3.1, §3.4).

export interface SupportRequest {
  readonly partner: string;
  readonly offering?: string;
  readonly customer?: string;
  readonly service: string;
  readonly category: string;
  readonly severity: string;
  readonly channel: string;
  readonly receivedAt: string; // ISO 8601 with offset or Z
  readonly serviceIncident?: boolean;
}

export type ReasonCode =
  | 'UNKNOWN_OFFERING'
  | 'NO_ACTIVE_SUBSCRIPTION'
  | 'SERVICE_NOT_COVERED'
  | 'CATEGORY_NOT_COVERED'
  | 'CHANNEL_NOT_OFFERED'
  | 'CHANNEL_CLOSED'
  | 'SEVERITY_NOT_OFFERED'
  | 'RULE_REJECTED';

export interface Reason {
  readonly code: ReasonCode;
  readonly message: string;
}

export interface Decision {
  readonly accepted: boolean;
  readonly reasons: readonly Reason[];
  readonly offering: string | null;
  readonly handledBy: string | null;
  readonly escalation: string | null;
  readonly withinHours: boolean | null;
  readonly responseTarget: string | null;
  readonly responseDueAt: string | null;
  readonly billable: boolean | null;
  readonly rules: readonly string[];
  readonly notes: readonly string[];
}

/** A shape error in a request: which field and why (CLI error line, API 400). */
export interface InputError {
  readonly field: string; // JSON pointer-ish field name, e.g. "receivedAt"
  readonly message: string;
}
