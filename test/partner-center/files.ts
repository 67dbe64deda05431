// Partner Center files for tests: the documented headers in Microsoft's
// order, cells quoted as Excel and Partner Center write them (only when they
// hold a comma, a quote or a line break), and a contoso plan whose services
// carry matchers.
import { readFileSync } from 'node:fs';
import { DAILY_COLUMNS, INVOICE_COLUMNS } from '../../src/partner-center/columns.js';
import { loadPlan } from '../../src/plans/load.js';
import type { Plan } from '../../src/plans/types.js';

export const T_NORTHWIND = '196e2273-9651-43a3-ba7e-7cbcd918fc40';
export const T_UNKNOWN = 'bbbbcccc-1111-dddd-2222-eeee3333ffff';

export const cell = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

type Row = Readonly<Record<string, string>>;

function csv(columns: readonly string[], defaults: Row, rows: readonly Row[], opts: { crlf?: boolean; bom?: boolean } = {}): string {
  const eol = opts.crlf === false ? '\n' : '\r\n';
  const lines = [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c] ?? defaults[c] ?? '')).join(','))];
  return (opts.bom === false ? '' : '\uFEFF') + lines.join(eol) + eol;
}

const DAILY_DEFAULTS: Row = {
  PartnerId: 'aaaabbbb-0000-cccc-1111-dddd2222eeee',
  PartnerName: 'Contoso Partners',
  CustomerId: T_NORTHWIND,
  CustomerName: 'Northwind Traders, Inc.',
  CustomerDomainName: 'northwind.onmicrosoft.com',
  CustomerCountry: 'US',
  ProductId: 'DZH318Z0BQ3Q',
  SkuName: 'D2 v3',
  ProductName: 'Virtual Machines Dv3 Series',
  PublisherName: 'Microsoft',
  SubscriptionDescription: 'Azure plan',
  ChargeStartDate: '10/1/2026',
  ChargeEndDate: '10/31/2026',
  MeterCategory: 'Virtual Machines',
  MeterName: 'D2 v3/D2s v3',
  ResourceURI: '/subscriptions/x/resourceGroups/rg,prod/providers/Microsoft.Compute/virtualMachines/vm1',
  ChargeType: 'new',
  BillingCurrency: 'USD',
  PricingCurrency: 'USD',
  PCToBCExchangeRate: '1',
  Tags: '{"env":"prod","team":"a,b"}',
};

export const dailyCsv = (rows: readonly Row[], opts?: { crlf?: boolean; bom?: boolean }): string => csv(DAILY_COLUMNS, DAILY_DEFAULTS, rows, opts);

const INVOICE_DEFAULTS: Row = {
  PartnerId: 'aaaabbbb-0000-cccc-1111-dddd2222eeee',
  CustomerId: T_NORTHWIND,
  CustomerName: 'Northwind Traders, Inc.',
  CustomerDomainName: 'northwind.onmicrosoft.com',
  CustomerCountry: 'US',
  InvoiceNumber: 'G000000001',
  OrderDate: '10/1/2026',
  ProductName: 'Microsoft 365 Business Premium',
  SkuName: 'Microsoft 365 Business Premium',
  ChargeType: 'new',
  Currency: 'USD',
  PublisherName: 'Microsoft Corporation',
  SubscriptionDescription: 'Microsoft 365 Business Premium',
  ChargeStartDate: '10/1/2026',
  ChargeEndDate: '10/31/2026',
  TermAndBillingCycle: 'One-Year commitment for monthly/yearly billing',
  PricingCurrency: 'USD',
  PCToBCExchangeRate: '1',
  BillingFrequency: 'Monthly',
};

export const invoiceCsv = (rows: readonly Row[], opts?: { crlf?: boolean; bom?: boolean }): string => csv(INVOICE_COLUMNS, INVOICE_DEFAULTS, rows, opts);

/** The contoso fixture with matchers on azure and m365 (§12.1); `retail`: Standard's Azure component on retail basis (§12.3). */
export function contosoWithMatchers(opts: { retail?: boolean } = {}): Plan {
  let src = readFileSync('test/fixtures/plans/contoso.yaml', 'utf8');
  if (opts.retail) src = src.replace('services: [azure], minimum: 100.00, maximum: 5000.00 }', 'services: [azure], minimum: 100.00, maximum: 5000.00, basis: retail }');
  const out = src.replace(
    /\n {2}azure: Microsoft Azure\n {2}m365: Microsoft 365\n/,
    '\n  azure:\n    name: Microsoft Azure\n    match: { subscriptionDescription: ["Azure plan*"] }\n  m365:\n    name: Microsoft 365\n    match: { productName: ["Microsoft 365*", "Office 365*"] }\n',
  );
  if (out === src) throw new Error('contoso services not found');
  const r = loadPlan(out, 'contoso.yaml');
  if (!r.plan) throw new Error(r.findings.map((f) => f.message).join('\n'));
  return r.plan;
}
