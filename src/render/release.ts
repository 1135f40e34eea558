import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ReleaseModel } from '../model';
import { renderDeployment, renderService, renderServiceAccount, renderVersionService } from '../workloads';
import { ReleaseController, TrafficApi } from '../plan';
import { hasArgoVirtualService, renderArgoRollouts } from './argo-rollouts';
import { renderFlagger } from './flagger';
import { renderAmbientMeshRoutes, renderGatewayApi } from './gateway-api';
import { needsVirtualService, renderDestinationRule, renderPeerAuthentication, renderVirtualService } from './istio';

/** The objects of a release, whatever renders them: what the app constructs expose. */
export interface RenderedRelease {
  /** The ServiceAccount, with `createServiceAccount`. */
  readonly serviceAccount?: ApiObject;
  /** One Deployment per version, in the model's order; one for Flagger; none for Argo Rollouts. */
  readonly deployments: ApiObject[];
  /** None with Flagger, which makes the Services itself. */
  readonly service?: ApiObject;
  /** Services over one version each, such as the preview Service. */
  readonly extraServices: ApiObject[];
  /** None with selector routing, which needs no subsets. */
  readonly destinationRule?: ApiObject;
  /** None with selector routing and no gateway: the Service alone routes. */
  readonly virtualService?: ApiObject;
  /** The STRICT PeerAuthentication, with `mtls`. */
  readonly peerAuthentication?: ApiObject;
  /** The Argo Rollouts Rollout, in place of the Deployments. */
  readonly rollout?: ApiObject;
  /** The Argo Rollouts AnalysisTemplate, with an analysis. */
  readonly analysisTemplate?: ApiObject;
  /** Argo Rollouts' AnalysisTemplates of the steps held until the analysis passes, one per count of checks. */
  readonly stepAnalysisTemplates?: ApiObject[];
  /** The Flagger Canary. */
  readonly canary?: ApiObject;
  /** Flagger's MetricTemplates, one per check of the user's. */
  readonly metricTemplates?: ApiObject[];
  /** The Gateway API HTTPRoute, in place of the VirtualService. */
  readonly httpRoute?: ApiObject;
}

/** Picks the renderer: a controller's, else the routing API's. The resolve step checked the model for it. */
export function renderRelease(scope: Construct, model: ReleaseModel): RenderedRelease {
  // Ahead of the workloads, whoever runs them: pods can't be made before their ServiceAccount.
  const serviceAccount = renderServiceAccount(scope, model);
  const rendered = { ...renderTraffic(scope, model), serviceAccount };
  // Whoever routes, the pods' mTLS is Istio's; Flagger refuses it, as its primary pods are labelled apart.
  return model.mtls ? { ...rendered, peerAuthentication: renderPeerAuthentication(scope, model) } : rendered;
}

function renderTraffic(scope: Construct, model: ReleaseModel): RenderedRelease {
  switch (model.controller) {
    case ReleaseController.ARGO_ROLLOUTS: return renderArgoRollouts(scope, model);
    case ReleaseController.FLAGGER: return renderFlagger(scope, model);
    default:
      if (model.trafficApi === TrafficApi.GATEWAY_API) return renderGatewayApi(scope, model);
      return model.ambient ? renderAmbientIstio(scope, model) : renderIstioRelease(scope, model);
  }
}

/**
 * Ambient mode behind an Istio Gateway: the gateway's VirtualService splits over the subsets at
 * the ingress, and the mesh's HTTPRoutes on the Service, after it, split over a Service per version.
 */
function renderAmbientIstio(scope: Construct, model: ReleaseModel): RenderedRelease {
  const istio = renderIstioRelease(scope, model);
  const mesh = renderAmbientMeshRoutes(scope, model);
  return { ...istio, extraServices: [...istio.extraServices, ...mesh.versionServices], httpRoute: mesh.httpRoute };
}

/**
 * Emits the release in make-before-break order: pods first, then the Service over them, then the
 * subsets, then the routes that use the subsets. cdk8s writes objects in the order they are made,
 * so an applier that goes top to bottom never routes to something that does not exist yet.
 */
function renderIstioRelease(scope: Construct, model: ReleaseModel): RenderedRelease {
  const deployments = model.versions.map(version => renderDeployment(scope, model, version));
  const service = renderService(scope, model);
  const extraServices = model.extraServices.map(extra => renderVersionService(scope, model, extra));
  const destinationRule = model.selectorRouting ? undefined : renderDestinationRule(scope, model);
  const virtualService = needsVirtualService(model) ? renderVirtualService(scope, model) : undefined;
  return { deployments, service, extraServices, destinationRule, virtualService };
}

/**
 * Whether the renderers emit any `*.istio.io` object for the release, as they choose: the
 * PeerAuthentication of mtls, a VirtualService (and with subsets, a DestinationRule) of Istio's
 * routing or Argo Rollouts', none of Flagger's, which makes its own.
 */
export function emitsIstioObjects(model: ReleaseModel): boolean {
  if (model.mtls) return true;
  switch (model.controller) {
    case ReleaseController.ARGO_ROLLOUTS: return hasArgoVirtualService(model);
    case ReleaseController.FLAGGER: return false;
    // Subsets make a DestinationRule and need a VirtualService, so the VirtualService alone decides.
    default: return model.trafficApi !== TrafficApi.GATEWAY_API && needsVirtualService(model);
  }
}
