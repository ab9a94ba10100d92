import { describe, expect, it } from 'vitest';
import { noteTags, parseTagList, TagProblem, tagsInText } from './tag-text.js';

describe('tags', () => {
  it('finds #words in prose, not in headings, URLs, entities, code or numbers', () => {
    const text = [
      '# Heading #Work',
      'Plans for #travel and #Café-notes, see http://x.test/#anchor &#39; issue #12',
      '`#notatag` and #日本語 and #a_b- end',
      '```',
      '#incode',
      '```',
      'after #final.',
    ].join('\n');
    expect(tagsInText(text)).toEqual(['work', 'travel', 'café-notes', '日本語', 'a_b', 'final']);
  });

  it('reads the form field: commas or spaces, # optional, refusals name the bad one', () => {
    expect(parseTagList(' #Work, ideas  idéas,,work ')).toEqual(['work', 'ideas', 'idéas']);
    expect(() => parseTagList('ok, bad!tag')).toThrow(TagProblem);
    expect(() => parseTagList('ok, bad!tag')).toThrow(/"bad!tag" is not a tag/);
    expect(() => parseTagList('123')).toThrow(/with a letter/);
    expect(() => parseTagList(Array.from({ length: 21 }, (_, i) => `t${i}`).join(' '))).toThrow(/at most 20/);
  });

  it('a note has the form tags and the text tags, each once', () => {
    expect(noteTags(['work', 'b'], 'text #b #c')).toEqual(['work', 'b', 'c']);
  });
});
