import { Testing } from 'cdk8s';
import { Shop } from './main';

test('the shop chart splits traffic as intended', () => {
  const objects = Testing.synth(new Shop(Testing.app(), 'shop'));
  const route = (name: string) => objects.find(o => o.kind === 'VirtualService' && o.metadata.name === name).spec.http[0].route;
  expect(route('web').map((r: any) => [r.destination.subset, r.weight])).toEqual([['blue', 0], ['green', 100]]);
  expect(route('reviews').map((r: any) => [r.destination.subset, r.weight])).toEqual([['v1', 90], ['v2', 10]]);
  expect(objects).toMatchSnapshot();
});
