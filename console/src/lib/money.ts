/**
 * Money as the API carries it: an integer count of the currency's minor units (cents; JPY has none, BHD three).
 * Formatting goes through decimal strings, never through a division in floating point, so large amounts stay exact.
 */

const digitsCache = new Map<string, number>();

/**
 * The server's table of minor units (GET /admin-api/currencies), which the API's amounts are counted in. The
 * browser's Intl data differs for some currencies (HUF, COP, IDR, PKR and IQD have 0 decimals there, 2 or 3 in ISO
 * 4217), so the console loads this table before it shows any amount.
 */
export function setMinorUnits(table: Record<string, number>): void {
  for (const [code, digits] of Object.entries(table)) {
    digitsCache.set(code.toUpperCase(), digits);
  }
}

/**
 * The number of minor-unit digits of an ISO 4217 currency: the server's (see {@link setMinorUnits}); for a code not
 * in its table, the browser's, and 2 when the browser does not know the code either.
 */
export function minorDigits(currency: string): number {
  const code = currency.toUpperCase();
  let digits = digitsCache.get(code);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsCache.set(code, digits);
  }
  return digits;
}

/** "12345" with 2 digits → "123.45"; "-5" with 3 → "-0.005"; "7" with 0 → "7". */
export function minorToDecimal(minor: number | bigint, digits: number): string {
  const value = BigInt(minor);
  const negative = value < 0n;
  const abs = (negative ? -value : value).toString();
  if (digits === 0) {
    return (negative ? '-' : '') + abs;
  }
  const padded = abs.padStart(digits + 1, '0');
  const whole = padded.slice(0, padded.length - digits);
  const fraction = padded.slice(padded.length - digits);
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/** An amount in minor units, shown in the currency's format: formatMoney(123456, 'EUR', 'en-US') → "€1,234.56". */
export function formatMoney(minor: number, currency: string, locale?: string): string {
  const code = currency.toUpperCase();
  const digits = minorDigits(code);
  const decimal = minorToDecimal(minor, digits);
  try {
    const format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: code,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    // Intl formats a decimal string exactly (no float rounding); the cast is for older lib typings.
    return format.format(decimal as unknown as number);
  } catch {
    return `${decimal} ${code}`;
  }
}

/**
 * What an operator typed ("12.5", "1,000.25", "0.005") as minor units of the currency, or an error message.
 * More decimals than the currency has is an error, not a rounding.
 */
export function parseMoney(input: string, currency: string): { minor: number } | { error: string } {
  const digits = minorDigits(currency);
  const text = input.trim().replace(/[,\s_]/g, '');
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) {
    return { error: 'Enter an amount such as 12.50' };
  }
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  if (fraction.length > digits) {
    return {
      error: digits === 0
        ? `${currency.toUpperCase()} has no minor units: enter a whole number`
        : `${currency.toUpperCase()} has ${digits} decimal places at most`,
    };
  }
  const minor = BigInt(whole + fraction.padEnd(digits, '0'));
  if (minor <= 0n) {
    return { error: 'The amount must be more than zero' };
  }
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) {
    return { error: 'The amount is too large' };
  }
  return { minor: Number(minor) };
}

/** The amount in minor units as the operator would type it back (for prefilling a refund with "what is left"). */
export function minorToInput(minor: number, currency: string): string {
  return minorToDecimal(minor, minorDigits(currency));
}
