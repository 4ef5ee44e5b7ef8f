/**
 * Name parts for fictional companies and people. Every company gets a unique name for up to
 * PREFIXES × ROOTS × KINDS accounts; beyond that a number is appended. Emails use .example
 * domains only (RFC 2606), so nothing here can reach a real mailbox.
 */

const PREFIXES = [
  'North', 'Blue', 'Silver', 'Red', 'Bright', 'Clear', 'Iron', 'Green', 'High', 'Stone',
  'Swift', 'True', 'Open', 'Deep', 'Far', 'Gold', 'Oak', 'Pine', 'Sun', 'Moon',
  'Star', 'Cedar', 'Maple', 'River', 'Lake', 'Harbor', 'Summit', 'Crest', 'Prime', 'Nova',
  'Polar', 'Amber', 'Copper', 'Quartz', 'Cobalt', 'Granite', 'Willow', 'Aspen', 'Birch', 'Coral',
  'Ember', 'Frost', 'Lumen', 'Orbit', 'Pixel', 'Vector', 'Signal', 'Beacon', 'Atlas', 'Meridian',
  'Keystone', 'Fair', 'West', 'East', 'South', 'Sky', 'Tide', 'Sage', 'Bold', 'Kind',
] as const;

const ROOTS = [
  'wind', 'peak', 'field', 'stream', 'gate', 'bridge', 'point', 'path', 'light', 'works',
  'line', 'wave', 'forge', 'mark', 'view', 'crest', 'ridge', 'stone', 'brook', 'haven',
  'leaf', 'spring', 'vale', 'port', 'hill', 'wood', 'well', 'star', 'craft', 'shore',
  'loop', 'grid', 'base', 'core', 'stack', 'flow', 'sense', 'scale', 'trail', 'beam',
  'dale', 'ford', 'mont', 'hurst', 'by', 'ton', 'ly', 'io', 'ara', 'ify',
] as const;

const KINDS = [
  'Labs', 'Logistics', 'Health', 'Systems', 'Analytics', 'Foods', 'Energy', 'Robotics', 'Media', 'Capital',
  'Retail', 'Software', 'Partners', 'Studios', 'Networks', 'Bio', 'Freight', 'Dental', 'Insurance', 'Learning',
  'Hospitality', 'Manufacturing', 'Security', 'Travel', 'Legal', 'Realty', 'Apparel', 'Motors', 'Pharma', 'Telecom',
] as const;

export const FIRST_NAMES = [
  'Aaliyah', 'Adam', 'Aditi', 'Ahmed', 'Aiko', 'Alejandro', 'Alice', 'Amir', 'Ana', 'Andrei',
  'Anika', 'Ben', 'Camila', 'Carlos', 'Chen', 'Chloe', 'Daniel', 'Deepa', 'Diego', 'Elena',
  'Emeka', 'Emma', 'Ethan', 'Fatima', 'Felix', 'Freya', 'Gabriel', 'Grace', 'Hana', 'Hugo',
  'Ibrahim', 'Ines', 'Isaac', 'Ivy', 'Jack', 'Jana', 'Javier', 'Jin', 'Julia', 'Kai',
  'Karim', 'Keisha', 'Kenji', 'Lara', 'Leila', 'Leo', 'Lina', 'Lucas', 'Lucy', 'Mateo',
  'Maya', 'Mei', 'Mia', 'Mohammed', 'Nadia', 'Naomi', 'Nikhil', 'Nina', 'Noah', 'Olga',
  'Omar', 'Oscar', 'Paula', 'Priya', 'Quinn', 'Rafael', 'Rania', 'Ravi', 'Rosa', 'Ryan',
  'Sakura', 'Samuel', 'Sara', 'Sean', 'Sofia', 'Tariq', 'Thomas', 'Uma', 'Victor', 'Wei',
  'Yara', 'Yusuf', 'Zara', 'Zoe',
] as const;

export const LAST_NAMES = [
  'Abbott', 'Adeyemi', 'Alvarez', 'Andersen', 'Bauer', 'Becker', 'Bianchi', 'Brennan', 'Castillo', 'Chowdhury',
  'Costa', 'Dubois', 'Duarte', 'Eriksson', 'Farouk', 'Fischer', 'Fontaine', 'Garcia', 'Goldberg', 'Gupta',
  'Hansen', 'Hartmann', 'Hayes', 'Hoffman', 'Ibarra', 'Ito', 'Jansen', 'Jovanovic', 'Kaplan', 'Kowalski',
  'Kruger', 'Larsen', 'Lefebvre', 'Lindqvist', 'Lopez', 'Mahmoud', 'Marino', 'Mbeki', 'Mendes', 'Morales',
  'Murphy', 'Nakamura', 'Novak', 'Nwosu', 'Okonkwo', 'Olsen', 'Ortega', 'Park', 'Petrov', 'Quinlan',
  'Ramirez', 'Rao', 'Reyes', 'Richter', 'Rossi', 'Sato', 'Schneider', 'Shapiro', 'Silva', 'Singh',
  'Sorensen', 'Tanaka', 'Thompson', 'Torres', 'Tran', 'Varga', 'Vasquez', 'Wagner', 'Walsh', 'Watanabe',
  'Weber', 'Williams', 'Wojcik', 'Yamamoto', 'Yilmaz', 'Zhang', 'Zimmermann',
] as const;

/** Job titles, roughly in order of how likely they are to be the champion. */
export const CHAMPION_ROLES = ['Head of Operations', 'Director of Customer Experience', 'VP Operations', 'Product Lead', 'Head of Sales Ops'] as const;
export const CONTACT_ROLES = [
  'Admin', 'Analyst', 'Team Lead', 'Project Manager', 'Engineer', 'Finance Manager', 'IT Manager',
  'Operations Specialist', 'Marketing Manager', 'Data Engineer', 'Support Lead', 'Procurement',
] as const;

const COMBINATIONS = PREFIXES.length * ROOTS.length * KINDS.length;
/** A prime that does not divide COMBINATIONS (60 × 50 × 30 = 90,000 = 2^4·3^2·5^4). */
const STRIDE = 7_919;

/**
 * A unique company name for account number `index` (0-based). The walk through the name space is
 * a bijection (a stride coprime to its size), so two indices below COMBINATIONS never collide.
 */
export function companyName(index: number, seed: number): { name: string; domain: string } {
  const offset = (seed >>> 0) % COMBINATIONS;
  const code = (index * STRIDE + offset) % COMBINATIONS;
  const prefix = PREFIXES[code % PREFIXES.length] as string;
  const root = ROOTS[Math.floor(code / PREFIXES.length) % ROOTS.length] as string;
  const kind = KINDS[Math.floor(code / (PREFIXES.length * ROOTS.length)) % KINDS.length] as string;
  const lap = Math.floor(index / COMBINATIONS);
  const stem = `${prefix}${root}`;
  const name = lap === 0 ? `${stem} ${kind}` : `${stem} ${kind} ${lap + 1}`;
  const domain = `${stem}${kind}${lap === 0 ? '' : lap + 1}`.toLowerCase() + '.example';
  return { name, domain };
}

export function emailLocalPart(first: string, last: string): string {
  return `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');
}
