import type { FactContext, FactDefinition, FactType } from './fact-definition.js';
import { field, finiteNumber, isRecord } from './fact-inputs.js';

/** The profile's sections as facts of the same name, plus the request event and the resolved zone. */

type SectionName = Exclude<keyof FactContext['profile'], 'createdAt' | 'timezone'>;

function sectionFact(name: SectionName, type: FactType, description: string): FactDefinition {
  const hasType = type === 'array' ? Array.isArray : type === 'object' ? isRecord : (value: unknown) => typeof value === type;
  return {
    name,
    type,
    description,
    // A section of the wrong shape (possible in an unvalidated draft-test profile) is absent, not passed on.
    compute: (context) => {
      const value: unknown = context.profile?.[name];
      return hasType(value) ? value : undefined;
    },
  };
}

export const SECTION_FACTS: readonly FactDefinition[] = [
  sectionFact('type', 'string', 'Kind of customer: individual or sme'),
  {
    name: 'timezone',
    type: 'string',
    description: "The customer's IANA time zone: profile.timezone, or Asia/Shanghai when the profile has none",
    compute: (context) => context.timeZone,
  },
  sectionFact('currency', 'string', 'ISO 4217 code of the profile’s money amounts'),
  sectionFact('basic', 'object', 'Personal data: birthDate, gender, education, occupation, residence and work places'),
  sectionFact('company', 'object', 'The business: registeredAt, registeredCity, industry, businessScope, employees, office'),
  sectionFact('financials', 'object', 'Income, revenue, assets, liabilities, cash flow, deposits, property ownership'),
  sectionFact('credit', 'object', 'Credit bureau data: score, openLoans, maxOverdueDays, delinquencies12m, creditLimit, utilization'),
  sectionFact('ecommerce', 'object', 'E-commerce behaviour: monthlySpend, ordersPerMonth, categories'),
  sectionFact('interests', 'array', 'Declared or inferred interests, e.g. travel'),
  sectionFact('sentiment', 'object', 'Public sentiment counts, e.g. negativeMentions30d'),
  sectionFact('activity', 'array', 'Recent activity entries: at, kind, lat, lon, deviceId, channel'),
  sectionFact('attributes', 'object', 'Free-form extension data: a flat map of strings, numbers and booleans'),
  {
    name: 'event',
    type: 'object',
    description: "The request's event: type, at, amount, location, deviceId, channel",
    compute: (context) => (isRecord(context.event) ? context.event : undefined),
  },
];

const financial = (context: FactContext, key: string) => finiteNumber(field(context.profile?.financials, key));

/** Monthly income when it can divide: present and above 0. */
const monthlyIncome = (context: FactContext) => {
  const income = financial(context, 'monthlyIncome');
  return income !== undefined && income > 0 ? income : undefined;
};

/** The e-commerce spend bands, upper bounds exclusive, in the profile's currency. */
const SPEND_BANDS: readonly { below: number; band: string }[] = [
  { below: 1000, band: 'low' },
  { below: 5000, band: 'medium' },
  { below: 20000, band: 'high' },
];

export const FINANCIAL_FACTS: readonly FactDefinition[] = [
  {
    name: 'debtToIncome',
    type: 'number',
    description: 'totalLiabilities / (12 × monthlyIncome); absent when income is 0 or missing, or liabilities missing',
    compute: (context) => {
      const income = monthlyIncome(context);
      const liabilities = financial(context, 'totalLiabilities');
      return income !== undefined && liabilities !== undefined ? liabilities / (12 * income) : undefined;
    },
  },
  {
    name: 'netWorth',
    type: 'number',
    description: 'totalAssets − totalLiabilities; absent unless both are known',
    compute: (context) => {
      const assets = financial(context, 'totalAssets');
      const liabilities = financial(context, 'totalLiabilities');
      return assets !== undefined && liabilities !== undefined ? assets - liabilities : undefined;
    },
  },
  {
    name: 'eventAmountToMonthlyIncome',
    type: 'number',
    description: 'event.amount / monthlyIncome; absent without an amount or when income is 0 or missing',
    compute: (context) => {
      const income = monthlyIncome(context);
      const amount = finiteNumber(field(context.event, 'amount'));
      return income !== undefined && amount !== undefined && amount >= 0 ? amount / income : undefined;
    },
  },
  {
    name: 'ecommerceSpendBand',
    type: 'string',
    description: "ecommerce.monthlySpend as a band: 'none' (0), 'low' (< 1,000), 'medium' (< 5,000), 'high' (< 20,000), 'very-high'",
    compute: (context) => {
      const spend = finiteNumber(field(context.profile?.ecommerce, 'monthlySpend'));
      if (spend === undefined || spend < 0) return undefined;
      if (spend === 0) return 'none';
      return SPEND_BANDS.find((band) => spend < band.below)?.band ?? 'very-high';
    },
  },
];
