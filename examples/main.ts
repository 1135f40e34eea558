import { App } from 'cdk8s';
import { ApiMultiportCanary } from './api-multiport-canary';
import { BookinfoDarkLaunch } from './bookinfo-dark-launch';
import { CheckoutStickyCanary } from './checkout-sticky-canary';
import { NginxBlueGreen } from './nginx-blue-green';
import { NginxSelectorBlueGreen } from './nginx-selector-blue-green';
import { PodinfoAutoscaledCanary } from './podinfo-autoscaled-canary';
import { PodinfoBlueGreen } from './podinfo-blue-green';
import { ReviewsCanary } from './reviews-canary';
import { ShopPreviewBlueGreen } from './shop-preview-blue-green';
import { VersionTestCanary } from './version-test-canary';
import { WeatherCanary } from './weather-canary';

/** The seed scenarios and the use cases, one chart (and one file in dist/) each. */
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
}

if (require.main === module) {
  const app = new App();
  buildExamples(app);
  app.synth();
}
