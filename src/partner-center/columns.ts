// The two Partner Center files tierbook reads (SPEC §12.2), with their
// columns in the order Microsoft documents them ("Fields in the new commerce
// invoice reconciliation file" and "Fields in daily rated usage reconciliation
// file" on Microsoft Learn). Only a few columns are read; the lists serve
// detection, tests, the bench's generated file and docs/partner-center.md.
import type { MatchField } from '../plans/service-match.js';

export type FileKind = 'invoice' | 'daily';

export const INVOICE_COLUMNS = [
  'PartnerId', 'CustomerId', 'CustomerName', 'CustomerDomainName', 'CustomerCountry', 'InvoiceNumber', 'MpnId',
  'Tier2MpnId', 'OrderId', 'OrderDate', 'ProductId', 'SkuId', 'AvailabilityId', 'SkuName', 'ProductName', 'ChargeType',
  'UnitPrice', 'Quantity', 'Subtotal', 'TaxTotal', 'Total', 'Currency', 'PriceAdjustmentDescription', 'PublisherName',
  'PublisherId', 'SubscriptionDescription', 'SubscriptionId', 'ChargeStartDate', 'ChargeEndDate', 'TermAndBillingCycle',
  'EffectiveUnitPrice', 'UnitType', 'AlternateId', 'BillableQuantity', 'BillingFrequency', 'PricingCurrency',
  'PCToBCExchangeRate', 'PCToBCExchangeRateDate', 'MeterDescription', 'ReservationOrderId', 'CreditReasonCode',
  'SubscriptionStartDate', 'SubscriptionEndDate', 'ReferenceId', 'ProductQualifiers', 'PromotionId', 'ProductCategory',
] as const;

export const DAILY_COLUMNS = [
  'PartnerId', 'PartnerName', 'CustomerId', 'CustomerName', 'CustomerDomainName', 'CustomerCountry', 'MpnId',
  'Tier2MpnId', 'InvoiceNumber', 'ProductId', 'SkuId', 'AvailabilityId', 'SkuName', 'ProductName', 'PublisherName',
  'PublisherId', 'SubscriptionDescription', 'SubscriptionId', 'ChargeStartDate', 'ChargeEndDate', 'UsageDate',
  'MeterType', 'MeterCategory', 'MeterId', 'MeterSubCategory', 'MeterName', 'MeterRegion', 'Unit', 'ResourceLocation',
  'ConsumedService', 'ResourceGroup', 'ResourceURI', 'ChargeType', 'UnitPrice', 'Quantity', 'UnitType',
  'BillingPreTaxTotal', 'BillingCurrency', 'PricingPreTaxTotal', 'PricingCurrency', 'ServiceInfo1', 'ServiceInfo2',
  'Tags', 'AdditionalInfo', 'EffectiveUnitPrice', 'PCToBCExchangeRate', 'PCToBCExchangeRateDate', 'EntitlementId',
  'EntitlementDescription', 'PartnerEarnedCreditPercentage', 'CreditPercentage', 'CreditType', 'BenefitOrderId',
  'BenefitId', 'BenefitType',
] as const;

/** The headers that tell the files apart (§12.2). */
export const SIGNATURE: Readonly<Record<FileKind, readonly string[]>> = {
  invoice: ['InvoiceNumber', 'ChargeStartDate', 'Subtotal', 'Currency'],
  daily: ['UsageDate', 'BillingPreTaxTotal', 'BillingCurrency'],
};

/** The column each service matcher of §12.1 reads (both files have them all but MeterCategory, a daily file's). */
export const MATCH_COLUMN: Readonly<Record<MatchField, string>> = {
  productId: 'ProductId',
  productName: 'ProductName',
  skuName: 'SkuName',
  meterCategory: 'MeterCategory',
  subscriptionDescription: 'SubscriptionDescription',
  publisherName: 'PublisherName',
};

/** What one kind of file is read from: required columns, then the optional retail inputs. */
export interface KindColumns {
  readonly date: string;
  readonly cost: string;
  readonly currency: string;
  /** Read when present; an invoice file must have it, a daily file has it empty while unbilled. */
  readonly invoice: string;
  readonly required: readonly string[];
}

export const KIND_COLUMNS: Readonly<Record<FileKind, KindColumns>> = {
  invoice: {
    date: 'ChargeStartDate',
    cost: 'Subtotal',
    currency: 'Currency',
    invoice: 'InvoiceNumber',
    required: ['CustomerId', 'InvoiceNumber', 'ChargeStartDate', 'Subtotal', 'Currency'],
  },
  daily: {
    date: 'UsageDate',
    cost: 'BillingPreTaxTotal',
    currency: 'BillingCurrency',
    invoice: 'InvoiceNumber',
    required: ['CustomerId', 'UsageDate', 'BillingPreTaxTotal', 'BillingCurrency'],
  },
};
