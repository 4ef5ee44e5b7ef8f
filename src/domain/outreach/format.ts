/**
 * Money, numbers and dates for customer-facing text, through Intl in the account's locale and
 * currency. A locale or currency that Intl does not know (bad import data) falls back instead of
 * throwing, because a draft must never fail over formatting.
 */
const FALLBACK_LOCALE = 'en-US';

// Building an Intl formatter costs far more than using one; drafts for a whole book reuse them.
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format;
}

export function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, format);
  }
  return format;
}

const canonical = new Map<string, string>();

export function resolveLocale(locale: string | null | undefined): string {
  if (!locale) return FALLBACK_LOCALE;
  let resolved = canonical.get(locale);
  if (resolved === undefined) {
    try {
      resolved = Intl.getCanonicalLocales(locale)[0] ?? FALLBACK_LOCALE;
    } catch {
      resolved = FALLBACK_LOCALE;
    }
    canonical.set(locale, resolved);
  }
  return resolved;
}

/** The language every template is written in today (the built-ins, and templates without one). */
export const TEMPLATE_LANGUAGE = 'en';

/**
 * The locale a template's text is formatted in: the template's language with the account's
 * region, so an English template to a French account says "7 September 2027", not "7 septembre
 * 2027", while the region keeps its own order and currency conventions where the language has them.
 */
export function textLocale(language: string, accountLocale: string | null | undefined): string {
  let region: string | undefined;
  try {
    region = accountLocale ? new Intl.Locale(resolveLocale(accountLocale)).region : undefined;
  } catch {
    region = undefined;
  }
  return resolveLocale(region ? `${language}-${region}` : language);
}

export function formatMoney(
  amount: number,
  currency: string | null | undefined,
  locale: string | null | undefined,
): string {
  const resolved = resolveLocale(locale);
  const code = (currency ?? 'USD').toUpperCase();
  const cents = !Number.isInteger(amount);
  try {
    return numberFormat(resolved, {
      style: 'currency',
      currency: code,
      minimumFractionDigits: cents ? 2 : 0,
      maximumFractionDigits: cents ? 2 : 0,
    }).format(amount);
  } catch {
    return `${formatInteger(amount, resolved)} ${code}`;
  }
}

export function formatInteger(value: number, locale: string | null | undefined): string {
  return numberFormat(resolveLocale(locale), { maximumFractionDigits: 0 }).format(value);
}

/** 0.35 → "35%" in the locale's style ("35 %" in German and French). */
export function formatPercent(ratio: number, locale: string | null | undefined): string {
  return numberFormat(resolveLocale(locale), { style: 'percent', maximumFractionDigits: 0 }).format(ratio);
}

/** A calendar day (YYYY-MM-DD) written out: "January 31, 2027", "31. Januar 2027". */
export function formatDay(day: string, locale: string | null | undefined): string {
  const parsed = Date.parse(`${day.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(parsed)) return day;
  // A day has no time zone; formatting it in UTC keeps it the same day everywhere.
  return dateFormat(resolveLocale(locale), { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(parsed));
}
