import { describe, expect, it } from 'vitest';
import { cookie } from '../api/client';
import { safeNext } from './navigation';

describe('after login, go only to a console page', () => {
  it('follows a path inside the console, with its query', () => {
    expect(safeNext('/payments?status=declined')).toBe('/payments?status=declined');
    expect(safeNext('/payments/01a2')).toBe('/payments/01a2');
  });
  it('refuses anything that could leave the site', () => {
    for (const bad of [null, '', 'https://evil.example', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)']) {
      expect(safeNext(bad)).toBe('/');
    }
  });
});

describe('the CSRF cookie is read for the X-XSRF-TOKEN header', () => {
  it('finds it among other cookies, decoded', () => {
    expect(cookie('XSRF-TOKEN', 'a=1; XSRF-TOKEN=abc%3D%3D; b=2')).toBe('abc==');
    expect(cookie('XSRF-TOKEN', 'XSRF-TOKEN=v=w')).toBe('v=w');
  });
  it('is undefined when absent or only a prefix matches', () => {
    expect(cookie('XSRF-TOKEN', '')).toBeUndefined();
    expect(cookie('XSRF-TOKEN', 'XSRF-TOKEN-OLD=1; MY-XSRF-TOKEN=2')).toBeUndefined();
  });
});
