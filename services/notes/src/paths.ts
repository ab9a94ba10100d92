import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package folder (this file lives in src/ or dist/ right under it). */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const VIEWS_DIR = resolve(PACKAGE_ROOT, 'views');
export const PUBLIC_DIR = resolve(PACKAGE_ROOT, 'public');
