export { diagramMarkdown, diagramMermaid, diagramTable } from './markdown';
export type { DiagramOptions } from './model';
export { Diagram } from './diagram';
