import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ReleaseModel } from '../model';
import { renderDeployment, renderService } from '../workloads';
import { renderDestinationRule, renderVirtualService } from './istio';

/** The objects of a release rendered as plain Istio: what the app constructs expose. */
export interface RenderedRelease {
  /** One Deployment per version, in the model's order. */
  readonly deployments: ApiObject[];
  readonly service: ApiObject;
  /** None with selector routing, which needs no subsets. */
  readonly destinationRule?: ApiObject;
  /** None with selector routing and no gateway: the Service alone routes. */
  readonly virtualService?: ApiObject;
}

/**
 * Emits the release in make-before-break order: pods first, then the Service over them, then the
 * subsets, then the routes that use the subsets. cdk8s writes objects in the order they are made,
 * so an applier that goes top to bottom never routes to something that does not exist yet.
 */
export function renderIstioRelease(scope: Construct, model: ReleaseModel): RenderedRelease {
  const deployments = model.versions.map(version => renderDeployment(scope, model, version));
  const service = renderService(scope, model);
  const destinationRule = model.selectorRouting ? undefined : renderDestinationRule(scope, model);
  const virtualService = model.selectorRouting && !model.binding ? undefined : renderVirtualService(scope, model);
  return { deployments, service, destinationRule, virtualService };
}
