import { describe, expect, it } from 'vitest';
import { localToRfc3339, parseLatLng, rfc3339ToLocal } from '@/utils/time';

describe('coordinates pasted from a map', () => {
  it('read lat,lng with either comma or a space', () => {
    expect(parseLatLng('36.0671,120.3826')).toEqual({ latitude: 36.0671, longitude: 120.3826 });
    expect(parseLatLng(' 35.9603， 120.1925 ')).toEqual({ latitude: 35.9603, longitude: 120.1925 });
    expect(parseLatLng('35.96 120.19')).toEqual({ latitude: 35.96, longitude: 120.19 });
  });
  it('refuse what is not a position', () => {
    expect(parseLatLng('120.38,36.06,1')).toBeNull();
    expect(parseLatLng('91,120')).toBeNull();
    expect(parseLatLng('黄岛区')).toBeNull();
  });
});

describe('date-time fields', () => {
  it('round-trip through RFC 3339 with the browser’s offset', () => {
    const v = '2027-03-01T09:00';
    const s = localToRfc3339(v)!;
    expect(s).toMatch(/^2027-03-01T09:00:00[+-]\d{2}:\d{2}$/);
    expect(rfc3339ToLocal(s)).toBe(v);
    expect(localToRfc3339('')).toBeNull();
  });
});
