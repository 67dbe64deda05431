// What Partner Center imports need of the store, on both backends (SPEC §12,
// §13): tenantId unique per partner and read back, replaceSpend creating and
// replacing by id in one transaction, and a whole import with its pricing
// precedence.
import t, { type Test as Tap } from 'tap';
import { Readable } from 'node:stream';
import { ConflictError, MissingReferenceError, type SpendRecord } from '../../src/store/repository.js';
import { importPartnerCenter } from '../../src/partner-center/import.js';
import { pricedSpend } from '../../src/partner-center/precedence.js';
import { postgresBackend, sqliteBackend, type Backend } from '../store/backends.js';
import { contosoWithMatchers, dailyCsv, invoiceCsv, T_NORTHWIND } from './files.js';

const customer = (id: string, tenantId: string | null) => ({ record: { id, name: id, locale: null, taxRate: null, email: null, tenantId }, bodyHash: `h-${id}-${tenantId}` });
const spend = (id: string, amount: string, extra: Partial<SpendRecord> = {}): SpendRecord => ({ id, customer: 'northwind', period: '2026-10', service: 'azure', amount, retail: null, source: 'daily', invoice: 'unbilled', ...extra });
const plan = contosoWithMatchers();

async function contract(t: Tap, backend: Backend): Promise<void> {
  const { repo } = await backend.open(t);
  const P = 'contoso';
  await repo.insertMany(P, 'customers', [customer('northwind', T_NORTHWIND), customer('fabrikam', null), customer('tailspin', null)]);
  t.equal((await repo.getCustomer(P, 'northwind'))!.tenantId, T_NORTHWIND);
  t.equal((await repo.getCustomer(P, 'fabrikam'))!.tenantId, null, 'customers without a tenant never collide');

  const dup = await repo.insertMany(P, 'customers', [customer('twin', T_NORTHWIND)]).catch((e: unknown) => e);
  t.ok(dup instanceof ConflictError);
  t.equal((dup as Error).message, `tenant "${T_NORTHWIND}" already belongs to customer "northwind"`);
  const upd = await repo.updateCustomer(P, customer('fabrikam', T_NORTHWIND)).catch((e: unknown) => e);
  t.ok(upd instanceof ConflictError, 'nor by PUT');
  await repo.insertMany('huayun', 'customers', [customer('nw', T_NORTHWIND)]);
  t.equal((await repo.getCustomer('huayun', 'nw'))!.tenantId, T_NORTHWIND, 'another partner may hold it');

  t.same(await repo.replaceSpend(P, [spend('pc-1', '10.00', { retail: '12.00' }), spend('pc-2', '-1.50')]), { created: 2, replaced: 0 });
  t.same(await repo.replaceSpend(P, [spend('pc-1', '11.00', { retail: '13.00' }), spend('pc-3', '2.00')]), { created: 1, replaced: 1 });
  const data = await repo.periodData(P, 'northwind', '2026-10', 0, 0);
  t.same(
    data!.spend.map((s) => [s.id, s.amount, s.retail, s.source, s.invoice]),
    [['pc-1', '11.00', '13.00', 'daily', 'unbilled'], ['pc-2', '-1.50', null, 'daily', 'unbilled'], ['pc-3', '2.00', null, 'daily', 'unbilled']],
  );
  const missing = await repo.replaceSpend(P, [spend('pc-4', '1.00'), spend('pc-5', '1.00', { customer: 'nobody' })]).catch((e: unknown) => e);
  t.ok(missing instanceof MissingReferenceError);
  t.equal((await repo.periodData(P, 'northwind', '2026-10', 0, 0))!.spend.length, 3, 'all or nothing');

  // a whole import and its pricing on this backend
  const azure = await importPartnerCenter(repo, plan, Readable.from([dailyCsv([{ UsageDate: '10/2/2026', InvoiceNumber: 'G1', BillingPreTaxTotal: '5.125' }])]), { file: 'd.csv' });
  t.same(azure.imported, { records: 1, created: 1, replaced: 0, cost: '5.13' });
  const inv = await importPartnerCenter(repo, plan, Readable.from([invoiceCsv([{ InvoiceNumber: 'G1', ProductName: 'Azure plan', SubscriptionDescription: 'Azure plan', Subtotal: '6.00', UnitPrice: '1', EffectiveUnitPrice: '1' }])]), { file: 'i.csv' });
  t.same(inv.imported, { records: 1, created: 1, replaced: 0, cost: '6.00' });
  const priced = pricedSpend((await repo.periodData(P, 'northwind', '2026-10', 0, 0))!.spend);
  t.same(priced.map((s) => [s.amount, s.source, s.invoice]), [['6.00', 'invoice', 'G1']], 'the invoice file of G1 over its daily file and over unbilled');
}

t.test('sqlite', async (t) => contract(t, await sqliteBackend(t)));
t.test('postgres', async (t) => contract(t, await postgresBackend(t)));
