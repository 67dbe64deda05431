// The plans the server answers with, swappable at run time (SIGHUP or
// POST /v1/admin/reload). A reload that finds any error keeps the previous
// plans: a typo in one file must not take a partner offline.
import type { Finding, Plan } from '../plans/types.js';

export interface LoadedPlans {
  readonly plans: ReadonlyMap<string, Plan>;
  readonly findings: readonly Finding[];
}

export type PlanLoader = () => Promise<LoadedPlans>;

export interface ReloadResult {
  readonly reloaded: boolean;
  readonly partners: readonly string[];
  readonly findings: readonly Finding[];
}

export class PlanSet {
  private current: ReadonlyMap<string, Plan>;
  private pending: Promise<ReloadResult> | null = null;
  private readonly listeners: Array<() => void> = [];

  constructor(
    plans: ReadonlyMap<string, Plan>,
    private readonly loader?: PlanLoader,
  ) {
    this.current = plans;
  }

  get(partner: string): Plan | undefined {
    return this.current.get(partner);
  }

  partners(): string[] {
    return [...this.current.keys()];
  }

  /** Calls `fn` after every successful reload (the app's caches start afresh). */
  onReload(fn: () => void): void {
    this.listeners.push(fn);
  }

  get canReload(): boolean {
    return this.loader !== undefined;
  }

  /** Reloads from the loader; concurrent calls share one load. */
  reload(): Promise<ReloadResult> {
    if (!this.loader) return Promise.resolve({ reloaded: false, partners: this.partners(), findings: [] });
    this.pending ??= this.loader()
      .then(({ plans, findings }) => {
        const failed = findings.some((f) => f.severity === 'error');
        if (!failed) {
          this.current = plans;
          for (const fn of this.listeners) fn();
        }
        return { reloaded: !failed, partners: this.partners(), findings };
      })
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  }
}
