/**
 * Mailbox providers anyone can sign up with: an address there says nothing about the company, so a
 * row is never matched to an account by such a domain (docs/sync.md, "Matching accounts").
 */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'hotmail.co.uk',
  'live.com',
  'msn.com',
  'yahoo.com',
  'yahoo.co.uk',
  'yahoo.fr',
  'ymail.com',
  'aol.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'proton.me',
  'protonmail.com',
  'pm.me',
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  't-online.de',
  'mail.com',
  'mail.ru',
  'yandex.com',
  'yandex.ru',
  'zoho.com',
  'fastmail.com',
  'hey.com',
  'qq.com',
  '163.com',
  '126.com',
  'orange.fr',
  'free.fr',
  'laposte.net',
  'libero.it',
]);

export function isFreeMail(domain: string): boolean {
  return FREE_MAIL_DOMAINS.has(domain);
}
