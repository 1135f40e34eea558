import { App } from 'cdk8s';
import { ApiMultiportCanary } from './api-multiport-canary';
import { ArgoBlueGreen } from './argo-blue-green';
import { ArgoCdFleet, ArgoCdFleetPayments } from './argo-cd-fleet';
import { ArgoHeaderRoutedCanary, ArgoProgressiveCanary } from './argo-progressive-canary';
import { ArgoWeatherCanary } from './argo-weather-canary';
import { BookinfoAmbient } from './bookinfo-ambient';
import { BookinfoDarkLaunch } from './bookinfo-dark-launch';
import { CheckoutStickyCanary } from './checkout-sticky-canary';
import { FlaggerAbTesting, FlaggerMirroredBlueGreen } from './flagger-ab-testing';
import { FlaggerCanary } from './flagger-canary';
import { FlaggerGatewayApiCanary } from './flagger-gateway-api-canary';
import { GatewayApiCanary } from './gateway-api-canary';
import { KuratorFleet, KuratorPodinfoBlueGreen } from './kurator-fleet';
import { FlaggerPodinfoBlueGreen } from './flagger-podinfo-blue-green';
import { FlaggerProgressiveCanary } from './flagger-progressive-canary';
import { NginxBlueGreen } from './nginx-blue-green';
import { NginxSelectorBlueGreen } from './nginx-selector-blue-green';
import { PodinfoAutoscaledCanary } from './podinfo-autoscaled-canary';
import { PodinfoBlueGreen } from './podinfo-blue-green';
import { RealService } from './real-service';
import { RealServiceArgo } from './real-service-argo';
import { RealServiceFlagger } from './real-service-flagger';
import { ReviewsCanary } from './reviews-canary';
import { ShopPreviewBlueGreen } from './shop-preview-blue-green';
import { StagedCanary } from './staged-canary';
import { VersionTestCanary } from './version-test-canary';
import { WeatherCanary } from './weather-canary';

/**
 * The seed scenarios and the use cases, one chart (and one file in dist/) each. They are
 * alternatives, not one cluster: seed 002 is played both statically and by Flagger.
 */
export function buildExamples(app: App): void {
  new NginxBlueGreen(app);
  new WeatherCanary(app);
  new PodinfoBlueGreen(app);
  new VersionTestCanary(app);
  new ReviewsCanary(app);
  new NginxSelectorBlueGreen(app);
  new PodinfoAutoscaledCanary(app);
  new BookinfoDarkLaunch(app);
  new ShopPreviewBlueGreen(app);
  new ApiMultiportCanary(app);
  new CheckoutStickyCanary(app);
  new StagedCanary(app);
  new FlaggerPodinfoBlueGreen(app);
  new FlaggerCanary(app);
  new ArgoWeatherCanary(app);
  new ArgoBlueGreen(app);
  new GatewayApiCanary(app);
  new RealService(app);
  new RealServiceArgo(app);
  new RealServiceFlagger(app);
  new ArgoProgressiveCanary(app);
  new FlaggerProgressiveCanary(app);
  new FlaggerAbTesting(app);
  new FlaggerMirroredBlueGreen(app);
  new FlaggerGatewayApiCanary(app);
  new ArgoHeaderRoutedCanary(app);
  new BookinfoAmbient(app);
  new KuratorFleet(app, new KuratorPodinfoBlueGreen(app));
  new ArgoCdFleet(app, new ArgoCdFleetPayments(app));
}

if (require.main === module) {
  const app = new App();
  buildExamples(app);
  app.synth();
}
