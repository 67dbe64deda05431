// One figure of a benchmark, with the anchor it is compared against in the same run.
export interface BenchResult {
  readonly name: string;
  readonly value: number; // e.g. decisions per second
  readonly unit: string; // e.g. "decisions/s"
  readonly anchor: string; // what it is compared with, e.g. "json-rules-engine"
  readonly anchorValue: number;
  readonly ratio: number; // value / anchorValue
}
