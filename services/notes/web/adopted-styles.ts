import { StyleModule } from 'style-mod';

/**
 * CodeMirror writes its own styles through style-mod, which on a document (not a shadow root)
 * inserts a <style> element: the page's CSP (style-src 'self', no inline styles) refuses that. The
 * same rules go instead into one constructed stylesheet adopted by the document, which the CSP does
 * not govern; modules keep the order in which they were first mounted (CodeMirror mounts base
 * themes before the themes that override them).
 */
export function adoptCodeMirrorStyles(): void {
  const sheet = new CSSStyleSheet();
  const mounted: StyleModule[] = [];
  StyleModule.mount = (root, modules) => {
    const list = (Array.isArray(modules) ? modules : [modules]).flat(Infinity) as StyleModule[];
    let added = false;
    for (const m of list)
      if (!mounted.includes(m)) {
        mounted.push(m);
        added = true;
      }
    if (added) sheet.replaceSync(mounted.map((m) => m.getRules()).join('\n'));
    const doc = (root as ShadowRoot).host ? (root as ShadowRoot) : ((root as Node).ownerDocument ?? document);
    if (!doc.adoptedStyleSheets.includes(sheet)) doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  };
}
