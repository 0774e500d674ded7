import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DemoPerson } from './saml-idp-page.ts';

/** The parts of the demo data (tools/seed/demo-data.json, also read by the seed) the demo's services use. */
export interface DemoServicesData {
  sso: { keysDirectory: string; people: DemoPerson[] };
  listPrices: Record<string, { amount: number; currency: string }>;
  stripePrices: Record<string, { base: { id: string; amount: number }; seat: { id: string; amount: number } }>;
}

/** The repository's root: the seed's paths (keysDirectory) are relative to it, as `npm start` runs it. */
export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

export function demoData(): DemoServicesData {
  return JSON.parse(readFileSync(`${repositoryRoot}tools/seed/demo-data.json`, 'utf8')) as DemoServicesData;
}
