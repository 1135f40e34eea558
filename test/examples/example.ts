import { App, Chart, Testing } from 'cdk8s';
import { kinds, Manifest } from '../support/manifests';
import { expectValidManifests } from '../support/schemas';

/** Synthesizes an example chart, and tests what every example must do: emit these kinds, all valid. */
export function exampleObjects(Example: new (app: App) => Chart, expectedKinds: string[]): Manifest[] {
  const objects = Testing.synth(new Example(Testing.app()));
  test(`emits ${expectedKinds.join(', ')}, each valid against its schema`, () => {
    expect(kinds(objects)).toEqual(expectedKinds);
    expectValidManifests(objects);
    expect(objects).toMatchSnapshot();
  });
  return objects;
}

/** The objects of one two-version release, in make-before-break order. */
export const RELEASE = ['Deployment', 'Deployment', 'Service', 'DestinationRule', 'VirtualService'];
