import { renderMermaid } from './mermaid';
import { DiagramOptions, Picture, picturesOf } from './model';
import { renderTable } from './table';

/** Every picture as a Mermaid flowchart, separated by blank lines; empty when there is nothing routed. The TypeScript name of {@link Diagram.mermaid}. */
export function diagramMermaid(objects: readonly unknown[], options?: DiagramOptions): string {
  return picturesOf(objects, options).map(renderMermaid).join('\n');
}

/** Every picture as a table under its title, separated by blank lines; empty when there is nothing routed. The TypeScript name of {@link Diagram.table}. */
export function diagramTable(objects: readonly unknown[], options?: DiagramOptions): string {
  return picturesOf(objects, options).map(picture => `${picture.title}\n${renderTable(picture)}`).join('\n');
}

/** A Markdown document: `# title`, then per picture a `##` heading, the flowchart and the table. The TypeScript name of {@link Diagram.markdown}. */
export function diagramMarkdown(objects: readonly unknown[], title: string, options?: DiagramOptions): string {
  const pictures = picturesOf(objects, options);
  const body = pictures.length > 0
    ? pictures.flatMap(section)
    : ['No VirtualService, and no Service that selects pods, so there is no traffic to draw.', ''];
  return [`# ${oneLine(title)}`, '', '<!-- written by cdk8s-istio-release diagram; regenerate it rather than edit it -->', '', ...body].join('\n');
}

function section(picture: Picture): string[] {
  return [`## ${oneLine(picture.title)}`, '', ...fenced('mermaid', renderMermaid(picture)), '', ...fenced('text', renderTable(picture)), ''];
}

/** A code block whose fence is longer than any run of backticks inside it. */
function fenced(language: string, content: string): string[] {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map(run => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${language}`, ...content.replace(/\n$/, '').split('\n'), fence];
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
