import { describe, expect, it } from 'vitest';
import { setTask } from './task-toggle.js';

describe('setTask', () => {
  const body = [
    '# Plan',
    '- [ ] first',
    '- [x] second',
    '  - [ ] nested',
    '',
    '```',
    '- [ ] inside code, not a task',
    '```',
    '1. [ ] numbered',
    '> - [X] quoted',
  ].join('\n');

  it('ticks and unticks the n-th task as the page numbers them, leaving the rest as written', () => {
    expect(setTask(body, 0, true)).toBe(body.replace('- [ ] first', '- [x] first'));
    expect(setTask(body, 1, false)).toBe(body.replace('- [x] second', '- [ ] second'));
    expect(setTask(body, 2, true)).toBe(body.replace('  - [ ] nested', '  - [x] nested'));
    expect(setTask(body, 3, true)).toBe(body.replace('1. [ ] numbered', '1. [x] numbered'));
    expect(setTask(body, 4, false)).toBe(body.replace('> - [X] quoted', '> - [ ] quoted'));
  });

  it('keeps a box already in the asked state as it is', () => {
    expect(setTask(body, 1, true)).toBe(body);
  });

  it('answers null for a task that is not there', () => {
    expect(setTask(body, 5, true)).toBeNull();
    expect(setTask('no tasks here', 0, true)).toBeNull();
  });

  it('changes nothing where its scan and the rendered page disagree', () => {
    // An HTML block: the marker is text to the scan but no checkbox on the page.
    const html = '<div>\n- [ ] not a box\n</div>\n\n- [ ] a box';
    expect(setTask(html, 0, true)).toBeNull();
  });
});
