import { CheckoutStickyCanary } from '../../examples/checkout-sticky-canary';
import { find, Manifest, weights } from '../support/manifests';
import { exampleObjects, RELEASE } from './example';

describe('example: checkout canary with sticky sessions', () => {
  const objects = exampleObjects(CheckoutStickyCanary, RELEASE);
  const http = () => find(objects, 'VirtualService', 'checkout').spec.http;

  test('pins returning users by cookie ahead of the 80/20 split', () => {
    expect(http().map((r: Manifest) => r.name)).toEqual(['sticky-5-1-0', 'sticky-5-2-0', 'primary']);
    expect(http()[1].match[0].headers.cookie.regex).toBe('^(.*;\\s*)?checkout-version=5-2-0(;.*)?$');
    expect(weights(find(objects, 'VirtualService', 'checkout'))).toEqual({ '5-1-0': 80, '5-2-0': 20 });
  });

  test('sets a cookie for 8 hours naming the version each new user got', () => {
    expect(http()[2].route.map((r: Manifest) => r.headers.response.set['set-cookie'])).toEqual([
      'checkout-version=5-1-0; Max-Age=28800; Path=/',
      'checkout-version=5-2-0; Max-Age=28800; Path=/',
    ]);
  });
});
