declare module 'hbs' {
  type Engine = (path: string, options: object, callback: (err: Error | null, html?: string) => void) => void;
  interface Hbs {
    __express: Engine;
    handlebars: {
      SafeString: new (html: string) => unknown;
      escapeExpression(text: string): string;
    };
    registerPartial(name: string, template: string): void;
    registerHelper(name: string, fn: (...args: never[]) => unknown): void;
    create(): Hbs;
  }
  const hbs: Hbs;
  export default hbs;
}
