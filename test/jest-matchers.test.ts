import '../src/jest';
import { ApiObject, Chart } from 'cdk8s';
import { BlueGreenApp, CanaryApp, Color, RouteCheck } from '../src';
import { routeMatchers } from '../src/jest';
import { newChart, synth } from './support/manifests';

const v1 = { image: 'reviews:v1', version: 'v1' };
const v2 = { image: 'reviews:v2', version: 'v2' };

function reviews(chart: Chart, canaryWeight = 10): CanaryApp {
  return new CanaryApp(chart, 'Reviews', { stable: v1, canary: v2, canaryWeight });
}

describe('jest matchers', () => {
  test('toSplitTraffic reads the weighted route of a chart or of synthesized objects', () => {
    const chart = newChart();
    reviews(chart);
    new BlueGreenApp(chart, 'Web', { blue: { image: 'a', version: '1' }, green: { image: 'b', version: '2' }, active: Color.GREEN });
    expect(chart).toSplitTraffic('reviews', { v1: 90, v2: 10 });
    expect(chart).toSplitTraffic('web', { blue: 0, green: 100 });
    expect(synth(c => reviews(c, 25))).toSplitTraffic('reviews', { v1: 75, v2: 25 });
  });

  test('fails when the split differs, naming what it found', () => {
    const chart = newChart();
    reviews(chart);
    expect(chart).not.toSplitTraffic('reviews', { v1: 50, v2: 50 });
    expect(chart).not.toSplitTraffic('reviews', { v1: 90 });
    expect(chart).not.toSplitTraffic('ratings', { v1: 100 });
    expect(routeMatchers.toSplitTraffic(chart, 'reviews', { v1: 50, v2: 50 }).message())
      .toBe('expected VirtualService reviews to split {"v1":50,"v2":50}, found {"v1":90,"v2":10}');
    expect(routeMatchers.toSplitTraffic(chart, 'ratings', { v1: 100 }).message())
      .toBe('expected VirtualService ratings to split {"v1":100}, found no VirtualService ratings with a weighted route');
  });

  test('toHaveNoRouteFindings passes on our output and fails on a broken hand-made route', () => {
    const good = newChart();
    reviews(good);
    expect(good).toHaveNoRouteFindings();
    const bad = newChart();
    reviews(bad);
    new ApiObject(bad, 'Testers', {
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'testers' },
      spec: { hosts: ['testers'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v3' } }] }] },
    });
    RouteCheck.of(bad).disable();
    expect(bad).not.toHaveNoRouteFindings();
    expect(routeMatchers.toHaveNoRouteFindings(bad).message()).toContain('error subset-not-found: VirtualService/shop/testers');
  });

  test('toHaveRouteFinding matches a code, optionally on one object, in plain manifests too', () => {
    const objects = synth(c => reviews(c)).map(o => (o.kind === 'Service' ? { ...o, spec: { ...o.spec, selector: { run: 'reviews' } } } : o));
    expect(objects).toHaveRouteFinding('service-selects-nothing');
    expect(objects).toHaveRouteFinding('service-selects-nothing', 'Service/shop/reviews');
    expect(objects).not.toHaveRouteFinding('service-selects-nothing', 'Service/shop/ratings');
    expect(objects).not.toHaveRouteFinding('subset-not-found');
  });
});
