/** The geometry of .ci/browser-diagrams.js, which CI runs on every picture of dist/ in Chromium. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { problemsOf, unmeasured, MIN_TEXT_PX } = require('../.ci/browser-diagrams.js');

const box = (x: number, y: number, w: number, h: number) => ({ x, y, w, h });
const node = (name: string, shape: ReturnType<typeof box>, label = box(shape.x + 5, shape.y + 5, shape.w - 10, shape.h - 10)) => ({ name, shape, label });
const CLEAN = {
  nodes: [node('route primary', box(0, 0, 100, 50)), node('subset v1', box(200, 0, 100, 50))],
  labels: [{ name: '75%', box: box(120, 10, 30, 15) }],
  fontPx: 16,
  scale: 1,
};

test('finds nothing in a picture whose labels sit between its boxes, whose text fits, at full size', () => {
  expect(problemsOf(CLEAN)).toEqual([]);
});

test('fails when a weight label lies over a box, and not where they only touch', () => {
  expect(problemsOf({ ...CLEAN, labels: [{ name: '75%', box: box(190, 10, 30, 15) }] })).toEqual(['the label "75%" lies over the box "subset v1"']);
  expect(problemsOf({ ...CLEAN, labels: [{ name: '75%', box: box(170, 10, 30.5, 15) }] })).toEqual([]);
});

test('fails when two labels overlap', () => {
  const labels = [{ name: '75%', box: box(120, 10, 30, 15) }, { name: '25%', box: box(140, 20, 30, 15) }];
  expect(problemsOf({ ...CLEAN, labels })).toEqual(['the labels "75%" and "25%" overlap']);
});

test('fails when two boxes overlap', () => {
  expect(problemsOf({ ...CLEAN, nodes: [CLEAN.nodes[0], node('subset v1', box(90, 40, 100, 50))] })).toEqual(['the boxes "route primary" and "subset v1" overlap']);
});

test('fails when a box\'s text spills out of it, and not within a pixel', () => {
  expect(problemsOf({ ...CLEAN, nodes: [node('route primary', box(0, 0, 100, 50), box(-5, 5, 110, 40)), CLEAN.nodes[1]] }))
    .toEqual(['the text of "route primary" spills out of its box']);
  expect(problemsOf({ ...CLEAN, nodes: [node('route primary', box(0, 0, 100, 50), box(-1, -1, 102, 52)), CLEAN.nodes[1]] })).toEqual([]);
});

test('fails when the text is too small to read at GitHub\'s width, and counts no scale above 1', () => {
  expect(MIN_TEXT_PX).toBe(9);
  expect(problemsOf({ ...CLEAN, scale: 0.5 })).toEqual(['its text is 8.0 px at GitHub\'s width of 1012 px, under 9 px']);
  expect(problemsOf({ ...CLEAN, scale: 0.5625 })).toEqual([]);
  expect(problemsOf({ ...CLEAN, fontPx: 8, scale: 2 })).toEqual(['its text is 8.0 px at GitHub\'s width of 1012 px, under 9 px']);
});

test('fails when the page shows fewer boxes or line labels than the flowchart declares, so that it never passes by seeing nothing', () => {
  const text = 'flowchart LR\n  %% x\n  a["route"]\n  b("subset")\n  a -->|"75%"| b\n  a -.-> b\n';
  const lines = [{ ends: ['route', 'subset'], points: [] }, { ends: ['route', 'subset'], points: [] }];
  expect(unmeasured(text, { ...CLEAN, lines })).toEqual([]);
  expect(unmeasured(text, CLEAN)).toEqual(['measured 0 of its 2 lines']);
  expect(unmeasured(text, { ...CLEAN, lines, nodes: [] })).toEqual(['measured 0 of its 2 boxes']);
  expect(unmeasured(text, { ...CLEAN, lines, labels: [] })).toEqual(['measured 0 of its 1 line labels']);
});

test('fails when a line crosses a box other than its ends, and not where it only runs along its edge', () => {
  const third = node('subset v2', box(100, 100, 100, 50));
  const through = { ends: ['route primary', 'subset v1'], points: [{ x: 150, y: 125 }] };
  expect(problemsOf({ ...CLEAN, nodes: [...CLEAN.nodes, third], lines: [through] })).toEqual(['the line from "route primary" to "subset v1" crosses the box "subset v2"']);
  const along = { ends: ['route primary', 'subset v1'], points: [{ x: 150, y: 105 }, { x: 105, y: 125 }] };
  expect(problemsOf({ ...CLEAN, nodes: [...CLEAN.nodes, third], lines: [along] })).toEqual([]);
  const ends = { ends: ['route primary', 'subset v1'], points: [{ x: 50, y: 25 }, { x: 250, y: 25 }] };
  expect(problemsOf({ ...CLEAN, lines: [ends] })).toEqual([]);
  expect(problemsOf({ ...CLEAN, lines: [{ points: [] }] })).toEqual(['a line whose ends the check can\'t tell']);
});

test('fails when the browser wrapped a name across lines, as it did at hyphens before they were non-breaking', () => {
  expect(problemsOf({ ...CLEAN, wraps: ['-|s in "istio-system/public-gateway"'] })).toEqual(['a name breaks across lines: -|s in "istio-system/public-gateway"']);
});
