import { describe, expect, it } from 'vitest';
import { loggedPath } from './logged-path.js';

describe('loggedPath', () => {
  it('hides a share link token and keeps every other path', () => {
    expect(loggedPath('/s/Zx9_secret-token')).toBe('/s/<token>');
    expect(loggedPath('/s/Zx9_secret-token/extra')).toBe('/s/<token>/extra');
    expect(loggedPath('/notes/view')).toBe('/notes/view');
    expect(loggedPath('/search')).toBe('/search');
    expect(loggedPath('/')).toBe('/');
  });
});
