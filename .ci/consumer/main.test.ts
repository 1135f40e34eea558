import 'cdk8s-istio-release/jest';
import { Testing } from 'cdk8s';
import { Shop } from './main';

test('the shop chart splits traffic as intended', () => {
  const chart = new Shop(Testing.app(), 'shop');
  expect(chart).toSplitTraffic('web', { blue: 0, green: 100 });
  expect(chart).toSplitTraffic('reviews', { v1: 90, v2: 10 });
  expect(chart).toHaveNoRouteFindings();
  expect(Testing.synth(chart)).toMatchSnapshot();
});
