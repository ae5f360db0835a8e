/**
 * The customer files of the sample: CRM customers (with older duplicate versions, blank
 * ids, padded names, odd codes), ERP customers (NAS-prefixed ids, impossible birthdates,
 * genders spelt several ways) and ERP locations (codes and names of countries, blanks).
 */
import { FEMALE_NAMES, LAST_NAMES, MALE_NAMES } from './people.ts';
import { DirtPicker, streamRng, STREAM, weighted, type Rng } from './random.ts';
import { csv, customerKey, dayNumber, isoDate, isoDays } from './values.ts';
import { customerId, isMale, SAMPLE_DIRT_RATES, SAMPLE_REFERENCE_DATE, type World } from './world.ts';

const CREATE_FIRST_DAY = dayNumber('2025-10-06');
const CREATE_DAYS = 110;
/** Older duplicate versions can predate the first create day by a few days. */
const CREATE_SLACK = 10;

export function* customerRows(world: World): Generator<string> {
  const rng = streamRng(world.seed, STREAM.customers);
  const names = new DirtPicker(rng, SAMPLE_DIRT_RATES.customerNames, 5);
  const gender = new DirtPicker(rng, SAMPLE_DIRT_RATES.customerGender, 60);
  const marital = new DirtPicker(rng, SAMPLE_DIRT_RATES.customerMarital, 100);
  const record = new DirtPicker(rng, SAMPLE_DIRT_RATES.customerRecord, 120);
  const dates = isoDays(CREATE_FIRST_DAY - CREATE_SLACK, CREATE_DAYS + CREATE_SLACK + 1);
  for (let i = 0; i < world.customers; i++) {
    const id = customerId(i);
    const male = isMale(world, id);
    let first = rng.pick(male ? MALE_NAMES : FEMALE_NAMES);
    let last = rng.pick(LAST_NAMES);
    const nameDirt = names.kind(i);
    if (nameDirt === 'padFirst' || nameDirt === 'padBoth') first = pad(rng, first);
    if (nameDirt === 'padLast' || nameDirt === 'padBoth') last = pad(rng, last);
    const maritalCode = marital.kind(i) === 'blank' ? '' : rng.chance(0.54) ? 'M' : 'S';
    const genderCode = crmGender(rng, gender.kind(i), male);
    const created = CREATE_SLACK + rng.int(0, CREATE_DAYS);
    const row = { id, first, last, marital: maritalCode, gender: genderCode, created };
    const kind = record.kind(i);
    if (kind === 'duplicate') yield olderVersions(rng, row, dates);
    yield customerLine(row, dates);
    if (kind === 'blankId') yield `,${garbageKey(rng)},,,,,\n`;
  }
}

interface CustomerRow {
  id: number;
  first: string;
  last: string;
  marital: string;
  gender: string;
  /** Index into the create-date table. */
  created: number;
}

function customerLine(r: CustomerRow, dates: readonly string[]): string {
  return `${r.id},${customerKey(r.id)},${csv(r.first)},${csv(r.last)},${r.marital},${r.gender},${dates[r.created]}\n`;
}

/** Leading and/or trailing blanks, one to two of each. */
function pad(rng: Rng, value: string): string {
  const lead = ' '.repeat(rng.int(0, 2));
  const trail = ' '.repeat(lead ? rng.int(0, 2) : rng.int(1, 2));
  return lead + value + trail;
}

function crmGender(rng: Rng, dirt: 'blank' | 'oddCode' | undefined, male: boolean): string {
  if (dirt === 'blank') return '';
  if (dirt === 'oddCode') return rng.pick(male ? [' m ', 'm', 'M '] : [' f ', 'f', 'F ']);
  return male ? 'M' : 'F';
}

/** Earlier, less complete copies of a customer: same cst_id, earlier create dates. */
function olderVersions(rng: Rng, row: CustomerRow, dates: readonly string[]): string {
  const gaps = rng.chance(0.8) ? [rng.int(1, 3)] : [rng.int(4, 6), rng.int(1, 3)]; // oldest first
  let out = '';
  for (const gap of gaps) {
    out += customerLine({
      ...row,
      first: rng.chance(0.5) ? '' : row.first,
      last: rng.chance(0.3) ? '' : row.last,
      marital: rng.chance(0.4) ? '' : row.marital,
      gender: rng.chance(0.6) ? '' : row.gender,
      created: row.created - gap,
    }, dates);
  }
  return out;
}

/** A stray key with no id, like the test rows left in the reference export. */
function garbageKey(rng: Rng): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
  let key = '';
  for (let n = rng.int(4, 8); n > 0; n--) key += alphabet[rng.int(0, alphabet.length - 1)];
  return key;
}

/** Birthdates: mostly 1940–1990; a few impossible ones. */
const BIRTH_FIRST_DAY = dayNumber('1940-01-01');
const BIRTH_DAYS = dayNumber('1990-12-31') - BIRTH_FIRST_DAY;
const REFERENCE_DAY = dayNumber(SAMPLE_REFERENCE_DATE);

export function* erpCustomerRows(world: World): Generator<string> {
  const rng = streamRng(world.seed, STREAM.erpCustomers);
  const birth = new DirtPicker(rng, SAMPLE_DIRT_RATES.erpBirthdate, 10);
  const gender = new DirtPicker(rng, SAMPLE_DIRT_RATES.erpGender, 60);
  const dates = isoDays(BIRTH_FIRST_DAY, BIRTH_DAYS + 1);
  for (let i = 0; i < world.customers; i++) {
    const id = customerId(i);
    const cid = rng.chance(0.6) ? 'NAS' + customerKey(id) : customerKey(id);
    yield `${cid},${birthdate(rng, birth.kind(i), dates)},${erpGender(rng, gender.kind(i), isMale(world, id))}\n`;
  }
}

function birthdate(rng: Rng, dirt: keyof typeof SAMPLE_DIRT_RATES.erpBirthdate | undefined, dates: readonly string[]): string {
  if (dirt === 'future') return rng.chance(0.2) ? `9999-${rng.pick(['01', '06', '09', '11'])}-${rng.int(10, 28)}` : isoDate(REFERENCE_DAY + rng.int(30, 45 * 365));
  if (dirt === 'ancient') return isoDate(dayNumber('1900-01-01') + rng.int(0, 20 * 365));
  return dates[rng.int(0, BIRTH_DAYS)];
}

function erpGender(rng: Rng, dirt: keyof typeof SAMPLE_DIRT_RATES.erpGender | undefined, male: boolean): string {
  switch (dirt) {
    case undefined: return male ? 'Male' : 'Female';
    case 'blank': return rng.chance(0.9) ? '' : ' ';
    case 'letter': return male ? 'M' : 'F';
    case 'upper': return male ? 'MALE' : 'FEMALE';
    case 'padded': return male ? 'M ' : ' F ';
  }
}

/** Country shares and how each is spelled (the ERP mixes codes and names). */
const COUNTRIES: readonly { share: number; spellings: readonly (readonly [string, number])[] }[] = [
  { share: 0.4, spellings: [['United States', 0.45], ['USA', 0.35], ['US', 0.2]] },
  { share: 0.19, spellings: [['Australia', 1]] },
  { share: 0.1, spellings: [['Germany', 0.68], ['DE', 0.32]] },
  { share: 0.105, spellings: [['United Kingdom', 1]] },
  { share: 0.1, spellings: [['France', 1]] },
  { share: 0.085, spellings: [['Canada', 1]] },
  { share: 0.02, spellings: [['Netherlands', 0.7], ['NL', 0.3]] },
];

export function* locationRows(world: World): Generator<string> {
  const rng = streamRng(world.seed, STREAM.locations);
  const dirt = new DirtPicker(rng, SAMPLE_DIRT_RATES.erpCountry, 10);
  for (let i = 0; i < world.customers; i++) {
    const key = customerKey(customerId(i));
    yield `${key.slice(0, 2)}-${key.slice(2)},${country(rng, dirt.kind(i))}\n`;
  }
}

function country(rng: Rng, dirt: keyof typeof SAMPLE_DIRT_RATES.erpCountry | undefined): string {
  const spellings = weighted(rng, COUNTRIES, (c) => c.share).spellings;
  const name = weighted(rng, spellings, (s) => s[1])[0];
  if (dirt === 'blank') return '';
  if (dirt === 'spaces') return ' '.repeat(rng.int(1, 3));
  if (dirt === 'padded') return csv(pad(rng, name));
  return name;
}
