import { App } from 'cdk8s';
import { NginxBlueGreen } from './nginx-blue-green';
import { NginxSelectorBlueGreen } from './nginx-selector-blue-green';
import { PodinfoAutoscaledCanary } from './podinfo-autoscaled-canary';
import { PodinfoBlueGreen } from './podinfo-blue-green';
import { ReviewsCanary } from './reviews-canary';
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
}

if (require.main === module) {
  const app = new App();
  buildExamples(app);
  app.synth();
}
