import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalisePhone } from '../../src/domain/contract/records.ts';
import { contactsRepo } from '../../src/domain/db/repos/contacts.ts';
import { importFiles } from '../../src/domain/ingest/import-files.ts';
import { buildDraft } from '../../src/domain/outreach/draft.ts';
import { tempDb, tempDir } from '../support/temp.ts';
import { addAccount } from './interventions-fixtures.ts';

const now = () => new Date('2026-03-10T10:00:00Z');

describe('contact phone numbers', () => {
  it('are normalised, and anything that is not a number is refused', () => {
    expect(normalisePhone('+49 (30) 1234-567')).toBe('+49301234567');
    expect(normalisePhone('202.555.0100')).toBe('2025550100');
    expect(normalisePhone('call me')).toBeNull();
    expect(normalisePhone('12')).toBeNull();
  });

  it('are imported from a "Mobile" column, and a bad one is rejected with its line and field', () => {
    const { db } = tempDb();
    const dir = tempDir();
    const accounts = join(dir, 'accounts.csv');
    const contacts = join(dir, 'contacts.csv');
    writeFileSync(accounts, 'account_id,name,arr\nacc_1,Acme,1000\n');
    writeFileSync(
      contacts,
      'contact_id,account_id,name,email,Mobile\nc_1,acc_1,Ana,ana@acme.example,+1 (202) 555-0100\nc_2,acc_1,Bo,bo@acme.example,not a phone\n',
    );
    const result = importFiles(db, [accounts, contacts], { now });
    expect(result.accepted.contacts).toBe(1);
    expect(
      contactsRepo(db)
        .forAccount('acc_1')
        .map((c) => [c.contact_id, c.phone]),
    ).toEqual([['c_1', '+12025550100']]);
    const reason = db.prepare<[], { field: string; reason: string }>('SELECT field, reason FROM quarantine').get();
    expect(reason).toMatchObject({ field: 'phone' });
    expect(reason?.reason).toMatch(/'not a phone' is not a phone number/);
  });
});

describe('SMS drafts', () => {
  function account(phone: string | null) {
    const { db } = tempDb();
    const accountId = addAccount(db, { account_id: 'acc_sms', name: 'Acme' });
    contactsRepo(db).upsert({
      contact_id: 'c_1',
      account_id: accountId,
      name: 'Ana Silva',
      email: 'ana@acme.example',
      phone,
      role: null,
      is_champion: true,
      active: true,
      last_seen_at: null,
    });
    return db;
  }

  it('go to the contact’s phone number, never to an email address', () => {
    const db = account('+12025550100');
    const draft = buildDraft(db, { accountId: 'acc_sms', triggerId: 'payment_failing', channel: 'sms' }, now());
    expect(draft.to).toMatchObject({ phone: '+12025550100', email: null, name: 'Ana Silva' });
    const email = buildDraft(db, { accountId: 'acc_sms', triggerId: 'payment_failing', channel: 'email' }, now());
    expect(email.to).toMatchObject({ email: 'ana@acme.example', phone: null });
  });

  it('are refused with one sentence when nobody has a phone number', () => {
    const db = account(null);
    expect(() => buildDraft(db, { accountId: 'acc_sms', triggerId: 'payment_failing', channel: 'sms' }, now())).toThrow(
      /^No contact at Acme has a phone number on record, so an SMS cannot be drafted/,
    );
  });
});
