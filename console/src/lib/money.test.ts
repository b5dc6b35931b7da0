import { describe, expect, it } from 'vitest';
import { formatMoney, minorDigits, minorToDecimal, minorToInput, parseMoney, setMinorUnits } from './money';

describe('minor units per currency', () => {
  it('knows currencies without, with two and with three decimals', () => {
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('KRW')).toBe(0);
    expect(minorDigits('EUR')).toBe(2);
    expect(minorDigits('usd')).toBe(2);
    expect(minorDigits('BHD')).toBe(3);
    expect(minorDigits('KWD')).toBe(3);
  });

  it('falls back to 2 for a code the browser does not know', () => {
    expect(minorDigits('ZZZ')).toBe(2);
    expect(minorDigits('not a code')).toBe(2);
  });
});

describe('formatMoney', () => {
  it('places the decimal point by the currency', () => {
    expect(formatMoney(123456, 'EUR', 'en-US')).toBe('€1,234.56');
    expect(formatMoney(123456, 'JPY', 'en-US')).toBe('¥123,456');
    expect(formatMoney(123456, 'BHD', 'en-US')).toBe('BHD\u00a0123.456');
    expect(formatMoney(5, 'USD', 'en-US')).toBe('$0.05');
    expect(formatMoney(0, 'USD', 'en-US')).toBe('$0.00');
  });

  it('follows the locale', () => {
    expect(formatMoney(123456, 'EUR', 'de-DE')).toBe('1.234,56\u00a0€');
  });

  it('stays exact for the largest amounts the API takes (10^12 minor units)', () => {
    expect(formatMoney(1_000_000_000_000, 'USD', 'en-US')).toBe('$10,000,000,000.00');
    expect(formatMoney(999_999_999_999, 'BHD', 'en-US')).toBe('BHD\u00a0999,999,999.999');
    expect(formatMoney(9_007_199_254_740_991, 'USD', 'en-US')).toBe('$90,071,992,547,409.91');
  });

  it('shows an unknown currency as the plain amount and its code', () => {
    expect(formatMoney(1050, 'not a code')).toBe('10.50 NOT A CODE');
  });
});

describe('minorToDecimal', () => {
  it('pads and signs', () => {
    expect(minorToDecimal(5, 3)).toBe('0.005');
    expect(minorToDecimal(-5, 2)).toBe('-0.05');
    expect(minorToDecimal(7, 0)).toBe('7');
    expect(minorToDecimal(100, 2)).toBe('1.00');
  });
});

describe('parseMoney', () => {
  it('reads what an operator types into minor units', () => {
    expect(parseMoney('12.50', 'EUR')).toEqual({ minor: 1250 });
    expect(parseMoney('12.5', 'EUR')).toEqual({ minor: 1250 });
    expect(parseMoney('12', 'EUR')).toEqual({ minor: 1200 });
    expect(parseMoney(' 1,000.25 ', 'USD')).toEqual({ minor: 100025 });
    expect(parseMoney('500', 'JPY')).toEqual({ minor: 500 });
    expect(parseMoney('0.005', 'BHD')).toEqual({ minor: 5 });
    expect(parseMoney('1.', 'EUR')).toEqual({ minor: 100 });
  });

  it('refuses more decimals than the currency has, rather than rounding', () => {
    expect(parseMoney('1.5', 'JPY')).toEqual({ error: 'JPY has no minor units: enter a whole number' });
    expect(parseMoney('1.234', 'EUR')).toEqual({ error: 'EUR has 2 decimal places at most' });
    expect(parseMoney('1.2345', 'BHD')).toEqual({ error: 'BHD has 3 decimal places at most' });
  });

  it('refuses what is not a positive amount', () => {
    for (const bad of ['', 'abc', '-1', '1e3', '0', '0.00', '1.2.3', '12,50€']) {
      expect(parseMoney(bad, 'EUR')).toHaveProperty('error');
    }
    expect(parseMoney('99999999999999999', 'EUR')).toEqual({ error: 'The amount is too large' });
  });

  it('round-trips with minorToInput', () => {
    for (const [minor, currency] of [[1, 'EUR'], [1250, 'EUR'], [7, 'JPY'], [1, 'BHD'], [123456, 'BHD']] as const) {
      expect(parseMoney(minorToInput(minor, currency), currency)).toEqual({ minor });
    }
  });
});

describe("the server's minor units over the browser's", () => {
  it('reads HUF and IQD amounts as the API counts them, not as Intl would', () => {
    // Intl (CLDR) says 0 decimals for both; ISO 4217, and so the API's amounts, 2 and 3. Codes of their own here
    // (lower case on purpose) so the other tests keep the browser's view of HUF.
    expect(minorDigits('IQD')).toBe(0);
    setMinorUnits({ HUF: 2, iqd: 3 });
    expect(minorDigits('HUF')).toBe(2);
    expect(minorDigits('IQD')).toBe(3);
    expect(formatMoney(123456, 'HUF', 'en-US')).toBe('HUF\u00a01,234.56');
    expect(formatMoney(12345, 'IQD', 'en-US')).toBe('IQD\u00a012.345');
    expect(parseMoney('12.34', 'HUF')).toEqual({ minor: 1234 });
    expect(minorToInput(5, 'IQD')).toBe('0.005');
  });
});
