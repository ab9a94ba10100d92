import { describe, expect, it } from 'vitest';
import { bigrams, fold, foldWithMap, indexText, plainText } from './search-text.js';

describe('the text the index sees', () => {
  it('folds case, accents and full-width forms', () => {
    expect(fold('Café CRÈME Ｎａïｖｅ')).toBe('cafe creme naive');
    expect(indexText('Crème brûlée, à la carte!')).toBe('creme brulee a la carte');
  });

  it('keeps short words and stop words', () => {
    expect(indexText('To be, or not to be: C is a language')).toBe('to be or not to be c is a language');
  });

  it('cuts CJK runs into overlapping pairs, apart from Latin words glued to them', () => {
    expect(bigrams('東京都庁')).toEqual(['東京', '京都', '都庁']);
    expect(bigrams('猫')).toEqual(['猫']);
    expect(indexText('東京都庁へ行くiPhone15')).toBe('東京 京都 都庁 庁へ へ行 行く iphone15');
    expect(indexText('한국어 텍스트')).toBe('한국 국어 텍스 스트');
  });

  it('maps folded offsets back to the original text', () => {
    const { folded, from } = foldWithMap('Ａé😀b');
    expect(folded).toBe('ae😀b');
    expect(from).toEqual([0, 1, 2, 2, 4, 5]);
  });

  it('takes the readable text of Markdown', () => {
    expect(
      plainText('# Title\n\nSome **bold** [link](http://x.test/a) `code`\n\n```js\nlet a\n```\n<b>x</b>'),
    ).toBe('Title Some bold link code let a x');
  });
});

describe('folding keeps what tells CJK words apart', () => {
  it('keeps kana voicing marks and half-width forms become full-width', () => {
    expect(indexText('ぶた ふた')).toBe('ぶた ふた');
    expect(indexText('ｶﾀｶﾅ')).toBe('カタ タカ カナ');
  });
});
