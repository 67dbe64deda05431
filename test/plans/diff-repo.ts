// A throwaway git repository for the diff tests: write plan files, commit,
// and get the commit ids back. Not a test file itself (no .test.ts).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export class TempRepo {
  readonly dir: string;
  constructor() {
    this.dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'tierbook-diff-')));
    this.git('init', '-q', '-b', 'main');
  }
  git(...args: string[]): string {
    return execFileSync('git', ['-c', 'user.email=test@tierbook.example', '-c', 'user.name=tierbook test', ...args], { cwd: this.dir, encoding: 'utf8' });
  }
  write(rel: string, text: string): void {
    mkdirSync(path.dirname(path.join(this.dir, rel)), { recursive: true });
    writeFileSync(path.join(this.dir, rel), text);
  }
  remove(rel: string): void {
    rmSync(path.join(this.dir, rel));
  }
  /** Stages everything in the temporary repository and commits; returns the commit id. */
  commit(message: string): string {
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }
  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The starting plan of every test: one partner, two offerings, one rule. */
export const BASE_PLAN = `version: 1
partner:
  id: contoso
  name: Contoso Cloud Services
  currency: USD
  timezone: America/New_York
  microsoft:
    technical: [advanced-support]
services:
  azure: Microsoft Azure
  m365: Microsoft 365
providers:
  fabrikam:
    name: Fabrikam Managed Services
    relationship: outsourced
    costs:
      - { model: hourly, amount: 55.00 }
calendars:
  office:
    hours:
      mon-fri: ["08:00-18:00"]
    holidays: [2026-11-26, 2026-12-25]
channels:
  phone: { type: phone, address: "+1 800 555 0199", calendar: office }
  email: { type: email, address: support@contoso.example }
offerings:
  standard:
    name: Standard
    delivery: partner
    services: [m365, azure]
    categories: [billing, subscription, technical]
    channels: [email, phone]
    calendar: office
    severities:
      A: { name: Critical, response: 1h, calendar: 24x7 }
      B: { name: High, response: 4h }
    pricing:
      - { id: base, model: flat, amount: 250.00 }
      - { id: seats, model: per-unit, metric: seats, amount: 4.00 }
    minimum: 300.00
    serviceCredits: { perBreach: "5%", cap: "25%" }
  essential:
    name: Essential
    delivery: partner
    services: [m365]
    categories: [billing, subscription]
    channels: [email]
    severities:
      C: { response: 16h }
    pricing:
      - { id: base, model: flat, amount: 49.00 }
rules:
  - id: sev-a-by-phone
    when: { severity: A, channel: { not: phone } }
    then: { reject: "Critical (A) requests must be raised by phone." }
`;

/** Replace exactly one occurrence of `from` (a test typo must fail loudly, not silently change nothing). */
export function edit(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`edit: "${from}" must occur exactly once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}
